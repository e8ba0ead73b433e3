package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.regex.Pattern;

/**
 * PEM private keys ({@code -----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED ]PRIVATE KEY-----}).
 * Controls: public keys and certificates never match; the body up to {@code -----END} must hold at
 * least 64 base64 characters, which drops documentation snippets such as {@code ...} or {@code
 * <key>} and truncated headers.
 */
public final class PrivateKeyDetector extends KeywordDetector {
  public static final String ID = "private-key";
  static final int MIN_BODY = 64;

  /** Longest body read (a 16384-bit RSA key is about 12.5 KiB of base64). */
  static final int MAX_BODY = 16384;

  private static final Pattern HEADER =
      Pattern.compile(
          "-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----");

  public PrivateKeyDetector() {
    super(List.of("-----BEGIN "), HEADER, 48, "A-Z ", 11);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "private key";
  }

  @Override
  public boolean prefilter(String name, CharSequence text, ScanHints hints) {
    return Chars.indexOf(text, "PRIVATE KEY", 0) >= 0;
  }

  @Override
  boolean isWordChar(char c) {
    return false;
  }

  /**
   * The body is read from the header's end to the first {@code -----} (the {@code -----END} line,
   * or the next header: a PEM body never holds five dashes) and at most {@link #MAX_BODY} chars.
   * Each header thus reads only up to the next one, so the work over a text is linear in its size
   * however many headers it repeats (it used to search the rest of the text for {@code -----END}
   * from every header: quadratic).
   */
  @Override
  boolean accept(CharSequence text, int start, int end) {
    int limit = Math.min(text.length(), end + MAX_BODY);
    int base64 = 0;
    int stop = limit;
    for (int i = end; i < limit; i++) {
      char c = text.charAt(i);
      if (c == '-' && Chars.startsWith(text, "-----", i)) {
        stop = i;
        break;
      } else if (c == '\\' && i + 1 < limit && text.charAt(i + 1) == 'n') {
        i++;
      } else if (Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '=') {
        base64++;
      } else if (c == '<' || c == '.') {
        return false;
      }
    }
    return base64 >= MIN_BODY && Entropy.bitsPerChar(text, end, stop) >= 4.0;
  }

  @Override
  String redact(CharSequence text, int start, int end) {
    return Chars.substring(text, start, end) + " (body redacted)";
  }
}
