package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Base for detectors anchored on literal keywords (a token prefix): the prefilter is a plain
 * substring search, and the full pattern is only tried at each keyword occurrence.
 */
abstract class KeywordDetector implements SecretDetector {
  private final List<String> keywords;
  private final Pattern pattern;
  private final int maxLength;

  /**
   * @param pattern matched with {@code lookingAt} at a keyword occurrence; a trailing negative
   *     lookahead gives the right word boundary
   * @param maxLength longest possible match, bounds the region the pattern may look at
   */
  KeywordDetector(List<String> keywords, Pattern pattern, int maxLength) {
    this.keywords = keywords;
    this.pattern = pattern;
    this.maxLength = maxLength;
  }

  List<String> keywords() {
    return keywords;
  }

  @Override
  public boolean prefilter(String name, String text, ScanHints hints) {
    for (var k : keywords) {
      if (text.indexOf(k) >= 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void scan(String name, String text, ScanHints hints, List<SecretMatch> out) {
    Matcher m = null;
    for (var k : keywords) {
      int from = 0;
      int at;
      while ((at = text.indexOf(k, from)) >= 0) {
        from = at + 1;
        if (at > 0 && isWordChar(text.charAt(at - 1))) {
          continue;
        }
        if (m == null) {
          m = pattern.matcher(text);
          m.useTransparentBounds(true);
        }
        m.region(at, Math.min(text.length(), at + maxLength + 1));
        if (m.lookingAt() && accept(text, m.start(), m.end())) {
          out.add(new SecretMatch(id(), redact(text, m.start(), m.end()), m.start(), m.end()));
          from = m.end();
        }
      }
    }
  }

  /** Characters that may not directly precede a keyword (the left word boundary). */
  boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-';
  }

  /** False-positive controls after the pattern matched: entropy floor, allowlist, structure. */
  abstract boolean accept(String text, int start, int end);

  abstract String redact(String text, int start, int end);
}
