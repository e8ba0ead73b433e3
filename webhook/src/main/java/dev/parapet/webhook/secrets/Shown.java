package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.Set;

/**
 * How a name taken from a request (env var name, annotation or ConfigMap key, container name,
 * protocol) is quoted in messages and logs: at most {@link #MAX} chars, then "…(+N chars)"; control
 * characters as {@code ?}; and "(redacted name)" when a credential detector matches in or across
 * the part shown. The work is constant per name: only the first {@link #WINDOW} chars are read.
 */
public final class Shown {
  /** Chars of a name shown. */
  public static final int MAX = 64;

  /**
   * Chars scanned for credentials: a credential of up to {@code WINDOW - MAX} chars that overlaps
   * the part shown lies inside it.
   */
  static final int WINDOW = MAX + 128;

  private static final Set<String> ALL = SecretDetectors.all().keySet();

  private Shown() {}

  public static String name(String name) {
    if (name == null) {
      return null;
    }
    int n = name.length();
    var window = n <= WINDOW ? name : name.substring(0, WINDOW);
    for (var hit :
        SecretDetectors.scanUnit(List.of(new SecretDetectors.Text("SECRET", window)), ALL)) {
      if (hit.match().start() < MAX) {
        return "(redacted name)";
      }
    }
    var sb = new StringBuilder(Math.min(n, MAX) + 24);
    for (int i = 0; i < Math.min(n, MAX); i++) {
      char c = name.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (n > MAX) {
      sb.append("…(+").append(n - MAX).append(" chars)");
    }
    return sb.toString();
  }
}
