package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.regex.Pattern;

/**
 * AWS access key ids ({@code AKIA}, {@code ASIA}, {@code ABIA}, {@code ACCA}, {@code A3T?}) with
 * word boundaries. Controls: AWS's documented {@code ...EXAMPLE} keys and placeholders are allowed;
 * the 16-char suffix must reach 2.5 bits/char, which drops {@code AKIAXXXXXXXXXXXXXXXX}-style
 * fillers (real ids are random base32, typically 3.4-3.8).
 */
public final class AwsAccessKeyIdDetector extends KeywordDetector {
  public static final String ID = "aws-access-key-id";
  static final double SUFFIX_ENTROPY_FLOOR = 2.5;

  public AwsAccessKeyIdDetector() {
    super(
        List.of("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
        Pattern.compile("(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])"),
        20,
        "A-Z0-9",
        16);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "AWS access key id";
  }

  @Override
  boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c);
  }

  @Override
  boolean accept(CharSequence text, int start, int end) {
    return !Placeholders.isPlaceholder(text, start, end)
        && Entropy.bitsPerChar(text, end - 16, end) >= SUFFIX_ENTROPY_FLOOR;
  }

  @Override
  String redact(CharSequence text, int start, int end) {
    return Redactor.keepEnds(text, start, end, 4, 4);
  }
}
