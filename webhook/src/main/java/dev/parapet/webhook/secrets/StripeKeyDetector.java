package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Stripe live secret and restricted keys ({@code sk_live_}, {@code rk_live_}). Test-mode keys
 * cannot move money and are not findings. Controls: boundaries, body entropy ≥ 3.0, placeholders.
 */
public final class StripeKeyDetector extends KeywordDetector {
  public static final String ID = "stripe-key";

  public StripeKeyDetector() {
    super(
        List.of("sk_live_", "rk_live_"),
        Pattern.compile("[sr]k_live_[A-Za-z0-9]{24,99}(?![A-Za-z0-9_])"),
        107,
        "A-Za-z0-9",
        24);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "Stripe live key";
  }

  @Override
  boolean accept(CharSequence text, int start, int end) {
    return !Placeholders.isPlaceholder(text, start, end)
        && Entropy.bitsPerChar(text, start + 8, end) >= 3.0;
  }

  @Override
  String redact(CharSequence text, int start, int end) {
    return Redactor.prefixOnly(text, start, end, 8);
  }
}
