package dev.parapet.operator.policy;

import java.util.Collection;
import java.util.regex.Pattern;

/** Rule id patterns (a trailing * matches a prefix) and resource globs (* and ?). */
public final class RulePatterns {

  private RulePatterns() {}

  /** True when the rule id matches the pattern: exact, or prefix when the pattern ends in *. */
  public static boolean matchesRule(String pattern, String ruleId) {
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

  /** Glob match where * is any run of characters and ? one character. */
  public static boolean glob(String glob, String value) {
    if (value == null) {
      return false;
    }
    var regex = new StringBuilder();
    for (var c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return value.matches(regex.toString());
  }
}
