package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.Locale;

/**
 * Password-like keys holding literal values inside configuration content: {@code .properties}
 * ({@code spring.datasource.password=...}), YAML ({@code password: ...}), JSON ({@code "password":
 * "..."}), {@code .env} ({@code export DB_PASSWORD=...}), INI ({@code password = ...}) and XML
 * ({@code <password>...</password>}, {@code password="..."}, {@code <property name="db.password"
 * value="..."/>}), as found in ConfigMap data, env values, args and annotations. With {@link
 * ScanHints#namesAreConfigKeys()}, a ConfigMap key that is itself password-like marks its whole
 * (single-line) value.
 *
 * <p>Keys are password-like by {@link SecretNames} (camelCase read as words, so {@code secretName}
 * and {@code passwordKey} point at a secret rather than hold one). Controls on the value, by {@link
 * LiteralValues}: references ({@code ${...}}, {@code $(...)}, {@code {{...}}}, secret-store and
 * {@code ENC(...)} references, YAML anchors), placeholders, empty values, documented example and
 * default values, short values, small numbers, paths, hashes and prose. Parameters of a connection
 * string ({@code ;password=}, {@code &password=}) are left to {@link ConnectionStringDetector}.
 *
 * <p>One pass: each separator ({@code =}, {@code :}, {@code >}) reads the key run just before it
 * (which ends at the previous separator) and, only for a password-like key, its value, after which
 * the scan goes on past the value: every char is read a bounded number of times.
 */
public final class PasswordAssignmentDetector implements SecretDetector {
  public static final String ID = "password-assignment";
  static final int MAX_KEY = 128;
  static final int MAX_VALUE = 1024;

  /** Fragments of password-like key names, found by the keyword pass: a text holds one or none. */
  static final List<String> KEYWORDS =
      List.of(
          "assw",
          "ASSW",
          "assp",
          "ASSP",
          "ecret",
          "ECRET",
          "oken",
          "OKEN",
          "pwd",
          "Pwd",
          "PWD",
          "pikey",
          "piKey",
          "PIKEY",
          "pi_key",
          "PI_KEY",
          "pi-key",
          "PI-KEY",
          "redential",
          "REDENTIAL",
          "rivate_key",
          "RIVATE_KEY",
          "rivateKey",
          "ccess_key",
          "CCESS_KEY",
          "ccessKey");

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "password in configuration";
  }

  @Override
  public List<String> keywords() {
    return KEYWORDS;
  }

  @Override
  public boolean prefilter(String name, CharSequence text, ScanHints hints) {
    if (hints.namesAreConfigKeys() && isPasswordKey(name)) {
      return true;
    }
    for (var k : KEYWORDS) {
      if (Chars.indexOf(text, k, 0) >= 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void scan(String name, CharSequence text, ScanHints hints, List<SecretMatch> out) {
    int n = text.length();
    if (hints.namesAreConfigKeys()
        && isPasswordKey(name)
        && n <= MAX_VALUE
        && Chars.indexOf(text, '\n', 0, n) < 0) {
      var v = Chars.substring(text, 0, n);
      if (LiteralValues.isLiteral(v)) {
        out.add(new SecretMatch(ID, redact(n), 0, n));
        return;
      }
    }
    int skipUntil = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if ((c != '=' && c != ':' && c != '>') || i < skipUntil) {
        continue;
      }
      int end = assignmentAt(text, i, out);
      if (end > i) {
        skipUntil = end;
      }
    }
  }

  /**
   * The assignment whose separator is at {@code sep}: reports it when its key is password-like and
   * its value literal. Returns the end of the value read (to skip), or -1.
   */
  private int assignmentAt(CharSequence text, int sep, List<SecretMatch> out) {
    // The key: optional spaces and a closing quote, then a run of key chars, then its left edge.
    int i = sep - 1;
    int stop = Math.max(0, sep - MAX_KEY);
    while (i >= stop && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i--;
    }
    char quote = 0;
    if (i >= stop && (text.charAt(i) == '"' || text.charAt(i) == '\'')) {
      quote = text.charAt(i);
      i--;
    }
    int keyEnd = i + 1;
    while (i >= stop && isKeyChar(text.charAt(i))) {
      i--;
    }
    int keyStart = i + 1;
    if (keyStart == keyEnd || (i < stop && stop > 0)) {
      return -1;
    }
    char before = i >= 0 ? text.charAt(i) : '\n';
    if (quote != 0 && before == quote) {
      before = i > 0 ? text.charAt(i - 1) : '\n';
    }
    char sepChar = text.charAt(sep);
    if (before == ';' || before == '?' || before == '&') {
      return -1; // a connection-string parameter
    }
    if (sepChar == '>' && before != '<' && quote == 0) {
      return -1; // '>' only ends an XML tag name or a name="..." attribute
    }
    var key = Chars.substring(text, keyStart, keyEnd);
    if (sepChar == ':' && Chars.startsWith(text, "//", sep + 1)) {
      return -1; // a URL scheme
    }
    if (!isPasswordKey(key)) {
      if ((key.equalsIgnoreCase("name") || key.equalsIgnoreCase("key")) && sepChar == '=') {
        return nameValuePair(text, sep, out);
      }
      return -1;
    }
    return value(text, sep, sepChar, out);
  }

  /** {@code name="db.password" value="..."} or {@code name="db.password">...<}. */
  private int nameValuePair(CharSequence text, int sep, List<SecretMatch> out) {
    int q = sep + 1;
    if (q >= text.length() || (text.charAt(q) != '"' && text.charAt(q) != '\'')) {
      return -1;
    }
    char quote = text.charAt(q);
    int close = Chars.indexOf(text, quote, q + 1, Math.min(text.length(), q + 1 + MAX_KEY));
    if (close < 0 || !isPasswordKey(Chars.substring(text, q + 1, close))) {
      return -1;
    }
    int limit = Math.min(text.length(), close + 64);
    for (int i = close + 1; i < limit; i++) {
      char c = text.charAt(i);
      if (c == '>') {
        return value(text, i, '>', out);
      }
      if (c == '=' && i >= 5 && Chars.startsWith(text, "value", i - 5)) {
        return value(text, i, '=', out);
      }
      if (c == '\n') {
        break;
      }
    }
    return close;
  }

  /** Reads the value after {@code sep}; reports it when literal. Returns its end. */
  private int value(CharSequence text, int sep, char sepChar, List<SecretMatch> out) {
    int n = text.length();
    int i = sep + 1;
    int limit = Math.min(n, sep + 1 + MAX_VALUE);
    while (i < limit && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    if (i >= limit) {
      return i;
    }
    int start;
    int end;
    char c = text.charAt(i);
    if (sepChar == '>') {
      start = i;
      end = i;
      while (end < limit && text.charAt(end) != '<' && text.charAt(end) != '\n') {
        end++;
      }
      if (end >= limit || text.charAt(end) != '<') {
        return end;
      }
    } else if (c == '"' || c == '\'') {
      start = i + 1;
      end = start;
      while (end < limit && text.charAt(end) != c && text.charAt(end) != '\n') {
        if (text.charAt(end) == '\\') {
          end++;
        }
        end++;
      }
      if (end >= limit || text.charAt(end) != c) {
        return end;
      }
    } else {
      start = i;
      end = i;
      while (end < limit && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        // " #" starts a comment in YAML, .env and INI; a JSON-ish ',' or '}' ends an unquoted value
        if ((text.charAt(end) == '#' && text.charAt(end - 1) == ' ')
            || text.charAt(end) == ','
            || text.charAt(end) == '}') {
          break;
        }
        end++;
      }
      if (end >= limit && limit < n) {
        return end; // longer than MAX_VALUE: not a password
      }
      while (end > start && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
        end--;
      }
      // Closing quotes belong to the string the assignment sits in (a JSON or YAML string holding
      // "... key=value"): never part of the value, so redacting it keeps the document well formed.
      while (end > start && (text.charAt(end - 1) == '"' || text.charAt(end - 1) == '\'')) {
        end--;
      }
    }
    if (end > start && LiteralValues.isLiteral(Chars.substring(text, start, end))) {
      out.add(new SecretMatch(ID, redact(end - start), start, end));
    }
    return end;
  }

  private static String redact(int length) {
    return "(" + length + " chars redacted)";
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-'
        || c == '.';
  }

  /**
   * Password-like key: camelCase split into words ({@code dbPassword} → {@code db_Password}),
   * leading dashes of a flag dropped, then {@link SecretNames#isSecretish}; keys that name where a
   * secret is kept ({@code existingSecret}, {@code *PASSWORD_KEY}, {@code *_HASH}) are not.
   */
  static boolean isPasswordKey(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY) {
      return false;
    }
    var sb = new StringBuilder(key.length() + 8);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '-' && sb.length() == 0) {
        continue;
      }
      if (i > 0 && Character.isUpperCase(c) && Character.isLowerCase(key.charAt(i - 1))) {
        sb.append('_');
      }
      sb.append(c == '-' ? '_' : c);
    }
    var words = sb.toString().toUpperCase(Locale.ROOT);
    if (words.startsWith("EXISTING")
        || words.endsWith("PASSWORD_KEY")
        || words.endsWith("SECRET_KEY_REF")
        || words.endsWith("_HASH")
        || words.endsWith("_DIGEST")
        || words.endsWith("_POLICY")
        || words.endsWith("_SECRET") && (words.startsWith("USE_") || words.startsWith("CREATE_"))) {
      return false;
    }
    return SecretNames.isSecretish(words) || words.equals("PWD") || words.endsWith("_PWD");
  }
}
