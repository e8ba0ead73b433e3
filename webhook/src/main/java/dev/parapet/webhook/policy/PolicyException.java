package dev.parapet.webhook.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An exception: rules it waives (empty = all) for objects matching every given criterion
 * (namespaces, names with {@code *}/{@code ?} globs, labels), with a reason, an owner and an
 * optional expiry. An exception with no workload criterion (e.g. only AWS accounts) never matches a
 * workload.
 */
public record PolicyException(
    String name,
    Set<String> rules,
    Set<String> namespaces,
    List<String> names,
    Map<String, String> labels,
    String reason,
    String owner,
    Instant expiresAt) {

  public PolicyException {
    rules = Set.copyOf(rules);
    namespaces = Set.copyOf(namespaces);
    names = List.copyOf(names);
    labels = Map.copyOf(labels);
  }

  public boolean activeAt(Instant now) {
    return expiresAt == null || now.isBefore(expiresAt);
  }

  public boolean matches(
      String ruleId, String namespace, String name, Map<String, String> objectLabels) {
    if (namespaces.isEmpty() && names.isEmpty() && labels.isEmpty()) {
      return false;
    }
    if (!ruleMatches(rules, ruleId)) {
      return false;
    }
    if (!namespaces.isEmpty() && !namespaces.contains(namespace)) {
      return false;
    }
    if (!names.isEmpty() && names.stream().noneMatch(g -> glob(g, name == null ? "" : name))) {
      return false;
    }
    for (var e : labels.entrySet()) {
      if (!e.getValue().equals(objectLabels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** {@code *} and {@code ?} globs, as the CRD documents for names. */
  static boolean glob(String pattern, String s) {
    return glob(pattern, 0, s, 0);
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

  /** Rule ids, where a trailing {@code *} matches a prefix. */
  static boolean ruleMatches(Set<String> rules, String ruleId) {
    if (rules.isEmpty() || rules.contains(ruleId)) {
      return true;
    }
    for (var r : rules) {
      if (r.endsWith("*") && ruleId.startsWith(r.substring(0, r.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
