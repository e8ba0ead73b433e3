package dev.parapet.webhook.secrets;

/**
 * String searches on a {@link CharSequence}: the detectors read their input only through {@code
 * charAt}, {@code length} and {@code subSequence}, so a test can count every character they read
 * (the linear-time proof in {@code DetectorScalingTest}). Strings take the JDK's own paths.
 */
final class Chars {
  private Chars() {}

  /** {@code needle} at {@code at} in {@code s}. */
  static boolean startsWith(CharSequence s, String needle, int at) {
    if (s instanceof String str) {
      return str.startsWith(needle, at);
    }
    int n = needle.length();
    if (at < 0 || at + n > s.length()) {
      return false;
    }
    for (int j = 0; j < n; j++) {
      if (s.charAt(at + j) != needle.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  /** ASCII case-insensitive {@code needle} (lower case) at {@code at}. */
  static boolean startsWithIgnoreCase(CharSequence s, String lowerNeedle, int at) {
    int n = lowerNeedle.length();
    if (at < 0 || at + n > s.length()) {
      return false;
    }
    for (int j = 0; j < n; j++) {
      char c = s.charAt(at + j);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + 32);
      }
      if (c != lowerNeedle.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  /** First {@code needle} in {@code s[from, to)}, or -1. */
  static int indexOf(CharSequence s, String needle, int from, int to) {
    int n = needle.length();
    int last = Math.min(to, s.length()) - n;
    if (n == 0) {
      return from <= last ? from : -1;
    }
    char first = needle.charAt(0);
    for (int i = Math.max(0, from); i <= last; i++) {
      if (s.charAt(i) == first && startsWith(s, needle, i)) {
        return i;
      }
    }
    return -1;
  }

  static int indexOf(CharSequence s, String needle, int from) {
    if (s instanceof String str) {
      return str.indexOf(needle, from);
    }
    return indexOf(s, needle, from, s.length());
  }

  static int indexOf(CharSequence s, char c, int from, int to) {
    for (int i = Math.max(0, from); i < Math.min(to, s.length()); i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  /** Copies {@code s} into {@code dst}. */
  static void getChars(CharSequence s, char[] dst) {
    if (s instanceof String str) {
      str.getChars(0, str.length(), dst, 0);
    } else {
      for (int i = 0; i < s.length(); i++) {
        dst[i] = s.charAt(i);
      }
    }
  }

  static String substring(CharSequence s, int from, int to) {
    return s.subSequence(from, to).toString();
  }
}
