package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Slack tokens {@code xox[baprs]-} with at least two dash-separated parts after the prefix.
 * Controls: boundaries, body entropy ≥ 3.0, placeholders ({@code xoxb-xxxx...}).
 */
public final class SlackTokenDetector extends KeywordDetector {
  public static final String ID = "slack-token";

  public SlackTokenDetector() {
    super(
        List.of("xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"),
        Pattern.compile("xox[baprs]-[0-9A-Za-z]{6,}(?:-[0-9A-Za-z]{4,}){1,4}(?![A-Za-z0-9_\\-])"),
        160,
        "A-Za-z0-9",
        6);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "Slack token";
  }

  @Override
  boolean accept(String text, int start, int end) {
    return end - start >= 20
        && !Placeholders.isPlaceholder(text, start, end)
        && Entropy.bitsPerChar(text, start + 5, end) >= 3.0;
  }

  @Override
  String redact(String text, int start, int end) {
    return Redaction.prefixOnly(text, start, end, 5);
  }
}
