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
  public boolean prefilter(String name, String text, ScanHints hints) {
    return text.contains("PRIVATE KEY");
  }

  @Override
  boolean isWordChar(char c) {
    return false;
  }

  @Override
  boolean accept(String text, int start, int end) {
    int stop = text.indexOf("-----END", end);
    if (stop < 0) {
      stop = Math.min(text.length(), end + 16384);
    }
    int base64 = 0;
    for (int i = end; i < stop; i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < stop && text.charAt(i + 1) == 'n') {
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
  String redact(String text, int start, int end) {
    return text.substring(start, end) + " (body redacted)";
  }
}
