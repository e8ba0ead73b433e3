package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Slack tokens {@code xox[baprs]-} with at least two dash-separated parts after the prefix.
 * Controls: boundaries, body entropy ≥ 3.0, placeholders ({@code xoxb-xxxx...}).
 */
public final class SlackTokenDetector extends KeywordDetector {
  public static final String ID = "slack-token";
  private static final int MAX_LENGTH = 160;

  public SlackTokenDetector() {
    super(
        List.of("xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"),
        Pattern.compile("xox[baprs]-[0-9A-Za-z]{6,}(?:-[0-9A-Za-z]{4,}){1,4}(?![A-Za-z0-9_\\-])"),
        MAX_LENGTH,
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

  /**
   * The whole shape, without the regex engine: a run of at least 6 alphanumerics, 1 to 4 groups of
   * {@code -} + at least 4, then no token character, within the pattern's bound. The pattern can
   * only match such a shape (a shorter take of any run leaves a token char next), so the regex then
   * only runs on tokens.
   */
  @Override
  boolean quickCheck(CharSequence text, int at, int keywordLength) {
    int len = text.length();
    int i = at + keywordLength;
    int run = alnumRun(text, i);
    if (run < 6) {
      return false;
    }
    i += run;
    int groups = 0;
    while (groups < 4 && i < len && text.charAt(i) == '-') {
      run = alnumRun(text, i + 1);
      if (run < 4) {
        break;
      }
      i += 1 + run;
      groups++;
    }
    if (groups == 0 || i > at + MAX_LENGTH + 1) {
      return false;
    }
    if (i == len) {
      return true;
    }
    char c = text.charAt(i);
    return !(isAlnum(c) || c == '_' || c == '-');
  }

  private static int alnumRun(CharSequence text, int from) {
    int i = from;
    while (i < text.length() && isAlnum(text.charAt(i))) {
      i++;
    }
    return i - from;
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  @Override
  boolean accept(CharSequence text, int start, int end) {
    return end - start >= 20
        && !Placeholders.isPlaceholder(text, start, end)
        && Entropy.bitsPerChar(text, start + 5, end) >= 3.0;
  }

  @Override
  String redact(CharSequence text, int start, int end) {
    return Redactor.prefixOnly(text, start, end, 5);
  }
}
