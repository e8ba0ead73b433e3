package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Connection strings with an embedded password: URL userinfo ({@code
 * postgres://user:PASSWORD@host}) for postgres(ql), mysql, mariadb, mongodb(+srv), redis(s),
 * amqp(s) and http(s), also inside {@code jdbc:} URLs; and JDBC / ODBC parameters {@code password=}
 * / {@code pwd=} ({@code ;password=...}, {@code ?password=...&}) on a line that is a connection
 * string ({@code jdbc:}, {@code odbc}, {@code Driver=}, {@code Server=}, {@code Data Source=},
 * {@code DSN=}, {@code Host=} before it). Controls on the password: {@link LiteralValues}
 * (references, placeholders, documented examples such as {@code user:password} and {@code
 * guest:guest}, small numbers).
 *
 * <p>One pass: each {@code ://} reads back at most 20 chars of scheme and forward to the end of the
 * authority (at most 512, stopping at the next {@code /}); the parameter scan keeps one state per
 * line. Every char is read a bounded number of times.
 */
public final class ConnectionStringDetector implements SecretDetector {
  public static final String ID = "connection-string";
  static final int MAX_SCHEME = 20;
  static final int MAX_AUTHORITY = 512;
  static final int MAX_PARAM = 512;

  static final Set<String> SCHEMES =
      Set.of(
          "postgres",
          "postgresql",
          "mysql",
          "mariadb",
          "mongodb",
          "mongodb+srv",
          "redis",
          "rediss",
          "amqp",
          "amqps",
          "http",
          "https");

  /** Markers of a connection string on a line (lower case). */
  static final List<String> CONTEXT =
      List.of("jdbc:", "odbc", "driver=", "server=", "data source=", "dsn=", "host=");

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "connection string with a password";
  }

  @Override
  public List<String> keywords() {
    return List.of("://", "password=", "Password=", "PASSWORD=", "pwd=", "Pwd=", "PWD=", "passwd=");
  }

  @Override
  public boolean prefilter(String name, CharSequence text, ScanHints hints) {
    for (var k : keywords()) {
      if (Chars.indexOf(text, k, 0) >= 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void scan(String name, CharSequence text, ScanHints hints, List<SecretMatch> out) {
    urls(text, out);
    parameters(text, out);
  }

  private void urls(CharSequence text, List<SecretMatch> out) {
    int n = text.length();
    int at = Chars.indexOf(text, "://", 0);
    while (at >= 0) {
      int next = url(text, at, out);
      at = Chars.indexOf(text, "://", Math.max(at + 3, next));
    }
  }

  /** The URL whose {@code ://} is at {@code at}; returns where the next search may start. */
  private int url(CharSequence text, int at, List<SecretMatch> out) {
    int s = at - 1;
    int stop = Math.max(0, at - MAX_SCHEME);
    while (s >= stop && isSchemeChar(text.charAt(s))) {
      s--;
    }
    var scheme = Chars.substring(text, s + 1, at).toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(scheme)) {
      return at + 3;
    }
    int start = at + 3;
    int limit = Math.min(text.length(), start + MAX_AUTHORITY);
    int end = start;
    int lastAt = -1;
    while (end < limit) {
      char c = text.charAt(end);
      if (c == '/'
          || c == '?'
          || c == '#'
          || c == '"'
          || c == '\''
          || c == '<'
          || c == '>'
          || c == '`'
          || Character.isWhitespace(c)) {
        break;
      }
      if (c == '@') {
        lastAt = end;
      }
      end++;
    }
    if (lastAt < 0) {
      return end;
    }
    int colon = Chars.indexOf(text, ':', start, lastAt);
    if (colon < 0 || colon + 1 >= lastAt) {
      return end;
    }
    var user = Chars.substring(text, start, colon);
    var password = Chars.substring(text, colon + 1, lastAt);
    if (LiteralValues.isLiteral(password)
        && !password.equalsIgnoreCase(user)
        && !Placeholders.isPlaceholder(user)) {
      out.add(
          new SecretMatch(
              ID, scheme + "://…:(" + password.length() + " chars redacted)@…", colon + 1, lastAt));
    }
    return end;
  }

  private static boolean isSchemeChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+';
  }

  /** {@code password=} / {@code pwd=} parameters on connection-string lines. */
  private void parameters(CharSequence text, List<SecretMatch> out) {
    int n = text.length();
    boolean context = false;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        context = false;
        continue;
      }
      char lower = (char) (c | 0x20);
      if (!context
          && (lower == 'j' || lower == 'o' || lower == 'd' || lower == 's' || lower == 'h')) {
        for (var m : CONTEXT) {
          if (Chars.startsWithIgnoreCase(text, m, i)) {
            context = true;
            break;
          }
        }
      }
      if (lower != 'p' || !context || (i > 0 && !isParamStart(text.charAt(i - 1)))) {
        continue;
      }
      int eq;
      if (Chars.startsWithIgnoreCase(text, "password=", i)) {
        eq = i + 8;
      } else if (Chars.startsWithIgnoreCase(text, "passwd=", i)) {
        eq = i + 6;
      } else if (Chars.startsWithIgnoreCase(text, "pwd=", i)) {
        eq = i + 3;
      } else {
        continue;
      }
      int start = eq + 1;
      int limit = Math.min(n, start + MAX_PARAM);
      int end = start;
      char close = 0;
      if (start < limit && text.charAt(start) == '{') {
        close = '}'; // ODBC braces: {value; with semicolons}
        start++;
        end = start;
      }
      while (end < limit) {
        char v = text.charAt(end);
        if (close != 0
            ? v == close
            : v == ';' || v == '&' || v == '"' || v == '\'' || Character.isWhitespace(v)) {
          break;
        }
        end++;
      }
      if (end > start && LiteralValues.isLiteral(Chars.substring(text, start, end))) {
        out.add(new SecretMatch(ID, "password=(" + (end - start) + " chars redacted)", start, end));
      }
      i = Math.max(i, end - 1);
    }
  }

  private static boolean isParamStart(char c) {
    return c == ';' || c == '?' || c == '&' || c == ' ' || c == '\t' || c == '"' || c == '\'';
  }
}
