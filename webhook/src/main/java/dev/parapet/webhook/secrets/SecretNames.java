package dev.parapet.webhook.secrets;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Secret-ish variable / key names ({@code *PASSWORD*}, {@code *SECRET*}, {@code *TOKEN*}, {@code
 * *API_KEY*}, {@code *PRIVATE_KEY*}, {@code *CREDENTIAL*} ...). Names that point at a secret rather
 * than hold one ({@code *_FILE}, {@code *_PATH}, {@code *_URL}, {@code *_TTL}, {@code *_KEY_ID}
 * ...) are not secret-ish.
 */
public final class SecretNames {
  private SecretNames() {}

  static final List<String> WORDS =
      List.of(
          "PASSWORD",
          "PASSWD",
          "PASSPHRASE",
          "SECRET",
          "TOKEN",
          "APIKEY",
          "API_KEY",
          "API-KEY",
          "PRIVATE_KEY",
          "PRIVATEKEY",
          "CREDENTIAL",
          "ACCESS_KEY",
          "AUTH_KEY",
          "SIGNING_KEY");

  static final List<String> NOT_A_VALUE_SUFFIXES =
      List.of(
          "_FILE",
          "_PATH",
          "_DIR",
          "_URL",
          "_URI",
          "_ENDPOINT",
          "_TTL",
          "_TIMEOUT",
          "_EXPIRY",
          "_EXPIRES",
          "_EXPIRATION",
          "_LENGTH",
          "_SIZE",
          "_ENABLED",
          "_ID",
          "_NAME",
          "_REF",
          "_KEY_ID",
          "_TYPE",
          "_HEADER",
          "_MOUNT",
          "_VERSION");

  private static final String[] SUFFIX_ARRAY = NOT_A_VALUE_SUFFIXES.toArray(String[]::new);

  /**
   * True for secret-ish names. ASCII names (nearly all) are checked in place, without the upper
   * case copies; the result is the same as upper-casing with {@link Locale#ROOT} and reading '.' as
   * '_'.
   */
  public static boolean isSecretish(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    int n = name.length();
    for (int i = 0; i < n; i++) {
      if (name.charAt(i) >= 128) {
        // Non-ASCII case mappings (ß -> SS, ſ -> S, ı -> I) change lengths and letters: the
        // allocating upper-case copy is the definition there.
        return isSecretishByUpperCaseCopy(name);
      }
    }
    // The same three tests as the definition, cheapest-to-reject first (most names hold no word).
    if (!containsAny(name, WORDS_BY_FIRST)) {
      return false;
    }
    if (containsAny(name, TOKENIZ_BY_FIRST)) {
      return false;
    }
    for (var suffix : SUFFIX_ARRAY) {
      int at = n - suffix.length();
      if (at >= 0 && matchesAt(name, at, suffix)) {
        return false;
      }
    }
    return true;
  }

  /** Words by their first (upper case ASCII) char. */
  private static String[][] byFirst(List<String> words) {
    var table = new String[128][];
    for (var w : words) {
      var old = table[w.charAt(0)];
      var now = old == null ? new String[1] : Arrays.copyOf(old, old.length + 1);
      now[now.length - 1] = w;
      table[w.charAt(0)] = now;
    }
    return table;
  }

  private static final String[][] WORDS_BY_FIRST = byFirst(WORDS);
  private static final String[][] TOKENIZ_BY_FIRST = byFirst(List.of("TOKENIZ"));

  /** Whether the ASCII {@code name} contains, ignoring case, one of the words of {@code table}. */
  private static boolean containsAny(String name, String[][] table) {
    int n = name.length();
    for (int at = 0; at < n; at++) {
      var words = table[norm(name.charAt(at))];
      if (words != null) {
        for (var w : words) {
          if (at + w.length() <= n && matchesAt(name, at, w)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** ASCII upper case, with '.' read as '_' (as in {@code FOO.PASSWORD_FILE}). */
  private static char norm(char c) {
    return c >= 'a' && c <= 'z' ? (char) (c - 32) : c == '.' ? '_' : c;
  }

  /** {@code word} (upper case, no '.') at {@code at} in the ASCII {@code name}, ignoring case. */
  private static boolean matchesAt(String name, int at, String word) {
    for (int j = 0; j < word.length(); j++) {
      if (norm(name.charAt(at + j)) != word.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSecretishByUpperCaseCopy(String name) {
    if (name.toUpperCase(Locale.ROOT).contains("TOKENIZ")) {
      return false;
    }
    var upper = name.toUpperCase(Locale.ROOT).replace('.', '_');
    for (var suffix : NOT_A_VALUE_SUFFIXES) {
      if (upper.endsWith(suffix)) {
        return false;
      }
    }
    for (var w : WORDS) {
      if (upper.contains(w)) {
        return true;
      }
    }
    return false;
  }
}
