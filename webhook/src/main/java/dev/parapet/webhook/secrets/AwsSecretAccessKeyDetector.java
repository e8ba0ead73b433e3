package dev.parapet.webhook.secrets;

import java.util.List;

/**
 * AWS secret access keys: exactly 40 chars of {@code [A-Za-z0-9/+]} with boundaries, reported only
 * next to a literal access key id (same unit), under a secret-ish name, or after the word "secret"
 * within 64 chars. Controls: entropy ≥ 4.25 bits/char and upper+lower+digit, which drops SHA-1 hex
 * (≤ 4.0 bits, no upper case) and words; base64 digests (SHA-256 = 44 chars with {@code =}) fail
 * the boundary; AWS's {@code ...EXAMPLEKEY} and placeholders are allowed.
 */
public final class AwsSecretAccessKeyDetector implements SecretDetector {
  public static final String ID = "aws-secret-access-key";
  static final double ENTROPY_FLOOR = 4.25;
  static final int LENGTH = 40;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "AWS secret access key";
  }

  @Override
  public boolean prefilter(String name, CharSequence text, ScanHints hints) {
    return text.length() >= LENGTH
        && (hints.keyIdNearby() || SecretNames.isSecretish(name) || containsSecretWord(text));
  }

  @Override
  public void scan(String name, CharSequence text, ScanHints hints, List<SecretMatch> out) {
    boolean context = hints.keyIdNearby() || SecretNames.isSecretish(name);
    int runStart = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean in = i < text.length() && isKeyChar(text.charAt(i));
      if (in && runStart < 0) {
        runStart = i;
      } else if (!in && runStart >= 0) {
        int end = i;
        boolean boundary = end == text.length() || text.charAt(end) != '=';
        if (end - runStart == LENGTH
            && boundary
            && (context || secretWordBefore(text, runStart))
            && accept(text, runStart, end)) {
          out.add(new SecretMatch(ID, "(40-char secret redacted)", runStart, end));
        }
        runStart = -1;
      }
    }
  }

  /**
   * Finds keys whose run starts within 64 chars after the word "secret" at {@code secretAt}, i.e.
   * in {@code [secretAt + 6, secretAt + 64]} (exactly the keys {@link #scan} reports through the
   * "secret" context there); runs starting before {@code done} were already examined. Returns the
   * new {@code done}.
   */
  int scanAfterSecretWord(CharSequence text, int secretAt, int done, List<SecretMatch> out) {
    int len = text.length();
    int i = Math.max(done, secretAt + 6);
    int lastStart = Math.min(len - LENGTH, secretAt + 64);
    while (i <= lastStart) {
      if (!isKeyChar(text.charAt(i))) {
        i++;
      } else if (i > 0 && isKeyChar(text.charAt(i - 1))) {
        // Inside a run that started earlier: no run starts before its end.
        while (i < len && isKeyChar(text.charAt(i))) {
          i++;
        }
      } else {
        int end = i;
        while (end < len && end - i <= LENGTH && isKeyChar(text.charAt(end))) {
          end++;
        }
        boolean boundary = end == len || text.charAt(end) != '=';
        if (end - i == LENGTH && boundary && accept(text, i, end)) {
          out.add(new SecretMatch(ID, "(40-char secret redacted)", i, end));
        }
        i = end;
      }
    }
    return Math.max(done, i);
  }

  private static final boolean[] KEY_CHARS = KeywordDetector.charSet("A-Za-z0-9/+");

  private static boolean isKeyChar(char c) {
    return c < 128 && KEY_CHARS[c];
  }

  static boolean accept(CharSequence text, int start, int end) {
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
    }
    return upper
        && lower
        && digit
        && Entropy.bitsPerChar(text, start, end) >= ENTROPY_FLOOR
        && !Placeholders.isPlaceholder(text, start, end);
  }

  static boolean containsSecretWord(CharSequence text) {
    return secretWordIn(text, 0, text.length());
  }

  private static boolean secretWordBefore(CharSequence text, int start) {
    return secretWordIn(text, Math.max(0, start - 64), start);
  }

  private static boolean secretWordIn(CharSequence text, int from, int to) {
    for (int i = from; i + 6 <= to; i++) {
      char c = text.charAt(i);
      if ((c == 's' || c == 'S') && Chars.startsWithIgnoreCase(text, "secret", i)) {
        return true;
      }
    }
    return false;
  }
}
