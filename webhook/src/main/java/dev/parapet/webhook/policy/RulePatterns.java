package dev.parapet.webhook.policy;

import java.util.Collection;

/**
 * The one matcher for policy patterns, used by the webhook, the operator's merger, validator and
 * Finding planner, the cluster audit and the CLI: rule ids where a trailing {@code *} matches a
 * prefix, and {@code *}/{@code ?} globs for object names and resource ARNs.
 */
public final class RulePatterns {

  private RulePatterns() {}

  /** True when the rule id matches the pattern: exact, or prefix when the pattern ends in *. */
  public static boolean matchesRule(String pattern, String ruleId) {
    if (pattern == null || ruleId == null) {
      return false;
    }
    if (pattern.endsWith("*")) {
      return ruleId.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    return pattern.equals(ruleId);
  }

  /** True when any pattern matches; an empty or null list matches every rule. */
  public static boolean anyMatchesRule(Collection<String> patterns, String ruleId) {
    return patterns == null
        || patterns.isEmpty()
        || patterns.stream().anyMatch(p -> matchesRule(p, ruleId));
  }

  /** Glob match where * is any run of characters and ? one character; false for a null value. */
  public static boolean glob(String pattern, String value) {
    return pattern != null && value != null && glob(pattern, 0, value, 0);
  }

  private static boolean glob(String p, int pi, String s, int si) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        for (int k = si; k <= s.length(); k++) {
          if (glob(p, pi + 1, s, k)) {
            return true;
          }
        }
        return false;
      }
      if (si >= s.length() || (c != '?' && c != s.charAt(si))) {
        return false;
      }
      pi++;
      si++;
    }
    return si == s.length();
  }
}
