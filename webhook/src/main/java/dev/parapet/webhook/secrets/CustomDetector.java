package dev.parapet.webhook.secrets;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.parapet.core.Severity;
import dev.parapet.webhook.budget.Deadline;
import java.util.List;

/**
 * A detector defined in a PosturePolicy ({@code spec.admission.credentials.customDetectors}):
 * literal keywords, an RE2 pattern (RE2/J: linear-time matching, no backreferences or lookaround)
 * and an entropy floor. A text is matched only when it holds a keyword; the secret part is capture
 * group 1 when the pattern has one, else the whole match; placeholders and the shared allowlist are
 * never matches. Only the name and the length of a match are shown.
 */
public record CustomDetector(
    String name, List<String> keywords, Pattern pattern, double minEntropy, Severity severity) {
  /** Prefix of the detector id of a custom detector's matches. */
  public static final String ID_PREFIX = "custom:";

  static final int MIN_KEYWORD = 3;
  static final int MAX_KEYWORDS = 32;
  static final int MAX_REGEX = 1024;

  public CustomDetector {
    keywords = List.copyOf(keywords);
  }

  /**
   * Validates and compiles a definition.
   *
   * @throws IllegalArgumentException naming what is wrong (shown in the policy's status)
   */
  public static CustomDetector of(
      String name, List<String> keywords, String regex, Double minEntropy, Severity severity) {
    if (name == null || !name.matches("[a-z][a-z0-9-]{2,40}")) {
      throw new IllegalArgumentException(
          "name must be 3-41 lower-case letters, digits or dashes, starting with a letter");
    }
    if (keywords == null || keywords.isEmpty() || keywords.size() > MAX_KEYWORDS) {
      throw new IllegalArgumentException("keywords: between 1 and " + MAX_KEYWORDS + " required");
    }
    for (var k : keywords) {
      if (k == null || k.length() < MIN_KEYWORD) {
        throw new IllegalArgumentException(
            "keywords: each keyword needs at least " + MIN_KEYWORD + " characters");
      }
    }
    if (regex == null || regex.isEmpty() || regex.length() > MAX_REGEX) {
      throw new IllegalArgumentException("regex: 1-" + MAX_REGEX + " characters required");
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "regex is not valid RE2 (no backreferences or lookaround): " + e.getDescription());
    }
    if (pattern.matches("")) {
      throw new IllegalArgumentException("regex matches the empty string");
    }
    double floor = minEntropy == null ? 0 : minEntropy;
    if (floor < 0 || floor > 8) {
      throw new IllegalArgumentException("minEntropy must be between 0 and 8");
    }
    return new CustomDetector(
        name, keywords, pattern, floor, severity == null ? Severity.HIGH : severity);
  }

  public String id() {
    return ID_PREFIX + name;
  }

  /**
   * Appends the matches in {@code text}. Linear: one search per keyword, then RE2/J's search, each
   * continuing after the previous match; the deadline is checked between matches.
   */
  public void scan(CharSequence text, List<SecretMatch> out, Deadline deadline) {
    boolean found = false;
    for (var k : keywords) {
      if (Chars.indexOf(text, k, 0) >= 0) {
        found = true;
        break;
      }
    }
    if (!found) {
      return;
    }
    var m = pattern.matcher(text);
    int count = 0;
    while (m.find()) {
      if ((++count & 1023) == 0) {
        deadline.check();
      }
      int start = m.groupCount() >= 1 && m.start(1) >= 0 ? m.start(1) : m.start();
      int end = m.groupCount() >= 1 && m.start(1) >= 0 ? m.end(1) : m.end();
      if (end > start
          && !Placeholders.isPlaceholder(text, start, end)
          && Entropy.bitsPerChar(text, start, end) >= minEntropy) {
        out.add(
            new SecretMatch(
                id(),
                name
                    + "…("
                    + (end - start)
                    + " chars redacted, severity "
                    + severity.wireValue()
                    + ")",
                start,
                end));
      }
    }
  }
}
