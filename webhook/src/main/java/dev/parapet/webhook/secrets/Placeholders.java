package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.Locale;

/**
 * The allowlist shared by every detector: AWS's documented example keys (anything containing {@code
 * EXAMPLE}) and obvious placeholders. A value on this list is never a finding.
 */
public final class Placeholders {
  private Placeholders() {}

  /** Upper-case words whose presence marks a value as documentation or a placeholder. */
  static final List<String> MARKERS =
      List.of(
          "EXAMPLE",
          "XXXXX",
          "*****",
          "FAKE",
          "DUMMY",
          "SAMPLE",
          "PLACEHOLDER",
          "REDACTED",
          "CHANGEME",
          "CHANGE_ME",
          "YOUR_",
          "YOUR-",
          "-HERE",
          "_HERE",
          "YOURTOKEN",
          "YOURKEY",
          "<",
          "${",
          "$(",
          "{{");

  /** Exact (case-insensitive) values that stand for "no real value here". */
  static final List<String> VALUES =
      List.of(
          "changeme",
          "change-me",
          "password",
          "secret",
          "token",
          "none",
          "null",
          "nil",
          "undefined",
          "todo",
          "tbd",
          "test",
          "xxx",
          "***",
          "...",
          "true",
          "false",
          "yes",
          "no",
          "-",
          "n/a");

  /** True for documentation keys and placeholders anywhere in {@code s[from, to)}. */
  public static boolean isPlaceholder(CharSequence s, int from, int to) {
    var token = s.subSequence(from, to).toString();
    var upper = token.toUpperCase(Locale.ROOT);
    for (var marker : MARKERS) {
      if (upper.contains(marker)) {
        return true;
      }
    }
    return VALUES.contains(token.toLowerCase(Locale.ROOT).strip()) || isOneRepeatedChar(token);
  }

  public static boolean isPlaceholder(String s) {
    return isPlaceholder(s, 0, s.length());
  }

  private static boolean isOneRepeatedChar(String s) {
    if (s.length() < 2) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (s.charAt(i) != s.charAt(0)) {
        return false;
      }
    }
    return true;
  }
}
