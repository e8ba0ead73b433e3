package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Base for detectors anchored on literal keywords (a token prefix): the prefilter is a plain
 * substring search, and the full pattern is only tried at each keyword occurrence.
 */
abstract class KeywordDetector implements SecretDetector {
  private final List<String> keywords;
  private final Pattern pattern;
  private final int maxLength;
  private final boolean[] body;
  private final int minBody;

  /**
   * @param pattern matched with {@code lookingAt} at a keyword occurrence; a trailing negative
   *     lookahead gives the right word boundary
   * @param maxLength longest possible match, bounds the region the pattern may look at
   * @param bodyChars characters the token may hold right after its keyword, as ranges ("A-Z0-9")
   * @param minBody how many such characters must follow the keyword; checked before the pattern
   */
  KeywordDetector(
      List<String> keywords, Pattern pattern, int maxLength, String bodyChars, int minBody) {
    this.keywords = keywords;
    this.pattern = pattern;
    this.maxLength = maxLength;
    this.body = charSet(bodyChars);
    this.minBody = minBody;
  }

  static boolean[] charSet(String ranges) {
    var set = new boolean[128];
    for (int i = 0; i < ranges.length(); i++) {
      char c = ranges.charAt(i);
      if (i + 2 < ranges.length() && ranges.charAt(i + 1) == '-') {
        for (char x = c; x <= ranges.charAt(i + 2); x++) {
          set[x] = true;
        }
        i += 2;
      } else {
        set[c] = true;
      }
    }
    return set;
  }

  /**
   * A necessary condition, checked without the regex engine: at least {@code minBody} token
   * characters follow the keyword. Most keyword look-alikes in ordinary text fail it.
   */
  boolean quickCheck(CharSequence text, int at, int keywordLength) {
    int i = at + keywordLength;
    int stop = Math.min(text.length(), i + minBody);
    if (stop - i < minBody) {
      return false;
    }
    for (; i < stop; i++) {
      char c = text.charAt(i);
      if (c >= 128 || !body[c]) {
        return false;
      }
    }
    return true;
  }

  private int keywordAt(CharSequence text, int at) {
    for (var k : keywords) {
      if (Chars.startsWith(text, k, at)) {
        return k.length();
      }
    }
    return 0;
  }

  @Override
  public List<String> keywords() {
    return keywords;
  }

  @Override
  public boolean prefilter(String name, CharSequence text, ScanHints hints) {
    for (var k : keywords) {
      if (Chars.indexOf(text, k, 0) >= 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void scan(String name, CharSequence text, ScanHints hints, List<SecretMatch> out) {
    for (var k : keywords) {
      int at = Chars.indexOf(text, k, 0);
      while (at >= 0) {
        int before = out.size();
        scanAt(text, at, k.length(), out);
        at = Chars.indexOf(text, k, out.size() > before ? out.get(out.size() - 1).end() : at + 1);
      }
    }
  }

  @Override
  public void scanAt(CharSequence text, int at, List<SecretMatch> out) {
    int k = keywordAt(text, at);
    if (k > 0) {
      scanAt(text, at, k, out);
    }
  }

  /** {@link #scanAt(String, int, List)} when the keyword (of {@code keywordLength}) is known. */
  void scanAt(CharSequence text, int at, int keywordLength, List<SecretMatch> out) {
    if ((at > 0 && isWordChar(text.charAt(at - 1))) || !quickCheck(text, at, keywordLength)) {
      return;
    }
    var m = pattern.matcher(text);
    m.useTransparentBounds(true);
    m.region(at, Math.min(text.length(), at + maxLength + 1));
    if (m.lookingAt() && accept(text, m.start(), m.end())) {
      out.add(new SecretMatch(id(), redact(text, m.start(), m.end()), m.start(), m.end()));
    }
  }

  /** Characters that may not directly precede a keyword (the left word boundary). */
  boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-';
  }

  /** False-positive controls after the pattern matched: entropy floor, allowlist, structure. */
  abstract boolean accept(CharSequence text, int start, int end);

  abstract String redact(CharSequence text, int start, int end);
}
