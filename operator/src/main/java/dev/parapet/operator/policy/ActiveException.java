package dev.parapet.operator.policy;

import dev.parapet.api.v1alpha1.PosturePolicySpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An unexpired exception of an accepted policy, with the policy it came from. */
public record ActiveException(
    String policy,
    String name,
    List<String> rules,
    PosturePolicySpec.Match match,
    String reason,
    String owner,
    Instant expiresAt) {

  public ActiveException {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** policy/name, as shown in status. */
  public String qualifiedName() {
    return policy + "/" + name;
  }

  /** True for a cloud result of this rule on this resource. */
  public boolean matchesCloud(
      String ruleId, String accountId, String region, String arn, Map<String, String> tags) {
    if (!RulePatterns.anyMatchesRule(rules, ruleId)) {
      return false;
    }
    var m = match;
    if (m == null || hasAny(m.namespaces()) || hasAny(m.names()) || hasAny(m.labels())) {
      return false; // workload-only criteria never match a cloud result
    }
    return (!hasAny(m.accounts()) || m.accounts().contains(accountId))
        && (!hasAny(m.regions()) || m.regions().contains(region))
        && (!hasAny(m.resourceArns())
            || m.resourceArns().stream().anyMatch(g -> RulePatterns.glob(g, arn)))
        && (!hasAny(m.tags()) || containsAll(tags, m.tags()));
  }

  /**
   * True when this exception is judged against workloads (it names namespaces, names or labels, as
   * the admission webhook and the cluster audit read it); otherwise against cloud results.
   */
  public boolean matchesWorkloads() {
    var m = match;
    return m != null && (hasAny(m.namespaces()) || hasAny(m.names()) || hasAny(m.labels()));
  }

  /** True for a workload result of this rule on this object. */
  public boolean matchesWorkload(
      String ruleId, String namespace, String name, Map<String, String> labels) {
    if (!RulePatterns.anyMatchesRule(rules, ruleId)) {
      return false;
    }
    var m = match;
    if (m == null
        || hasAny(m.accounts())
        || hasAny(m.regions())
        || hasAny(m.resourceArns())
        || hasAny(m.tags())) {
      return false; // cloud-only criteria never match a workload
    }
    return (!hasAny(m.namespaces()) || m.namespaces().contains(namespace))
        && (!hasAny(m.names()) || m.names().stream().anyMatch(g -> RulePatterns.glob(g, name)))
        && (!hasAny(m.labels()) || containsAll(labels, m.labels()));
  }

  private static boolean containsAll(Map<String, String> actual, Map<String, String> wanted) {
    var a = actual == null ? Map.<String, String>of() : actual;
    return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(a.get(e.getKey())));
  }

  private static boolean hasAny(List<?> list) {
    return list != null && !list.isEmpty();
  }

  private static boolean hasAny(Map<?, ?> map) {
    return map != null && !map.isEmpty();
  }
}
