package dev.parapet.webhook.policy;

import dev.parapet.api.v1alpha1.PosturePolicySpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One exception of a PosturePolicy, the single model the webhook, the cluster audit, the CLI and
 * the operator's Finding planner match results against: the rules it waives (empty = all; a
 * trailing {@code *} matches a prefix), what it matches ({@link PosturePolicySpec.Match}), a
 * reason, an owner and an optional expiry.
 *
 * <p>An exception judges workloads when its match names namespaces, names or labels (the webhook
 * and the audit); otherwise it judges cloud results by accounts, regions, resource ARN globs and
 * tags. Every given criterion must match.
 *
 * @param policy the name of the PosturePolicy it belongs to
 * @param name its name, or {@code exceptions[i]}
 */
public record PolicyException(
    String policy,
    String name,
    List<String> rules,
    PosturePolicySpec.Match match,
    String reason,
    String owner,
    Instant expiresAt) {

  public PolicyException {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** A workload exception outside any policy (tests, tools). */
  public PolicyException(
      String name,
      Collection<String> rules,
      Collection<String> namespaces,
      List<String> names,
      Map<String, String> labels,
      String reason,
      String owner,
      Instant expiresAt) {
    this(
        null,
        name,
        List.copyOf(rules),
        new PosturePolicySpec.Match(null, null, null, null, List.copyOf(namespaces), names, labels),
        reason,
        owner,
        expiresAt);
  }

  /**
   * Every exception of a policy's spec, in list order, named, with its expiry parsed. Callers
   * validate the spec first ({@link PolicyValidator}): an unparseable expiry reads as none here.
   */
  public static List<PolicyException> of(
      String policy, List<PosturePolicySpec.PolicyException> specs) {
    var out = new ArrayList<PolicyException>();
    if (specs == null) {
      return out;
    }
    for (int i = 0; i < specs.size(); i++) {
      var e = specs.get(i);
      if (e == null) {
        continue;
      }
      out.add(
          new PolicyException(
              policy,
              name(e, i),
              e.rules(),
              e.match(),
              e.reason(),
              e.owner(),
              parseTime(e.expiresAt()).orElse(null)));
    }
    return out;
  }

  /** The exception's name, or {@code exceptions[i]}. */
  public static String name(PosturePolicySpec.PolicyException e, int index) {
    return e.name() != null && !e.name().isBlank() ? e.name() : "exceptions[" + index + "]";
  }

  /** An RFC 3339 time (e.g. 2030-01-31T00:00:00Z); empty when blank or not one. */
  public static Optional<Instant> parseTime(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** policy/name, as shown in status. */
  public String qualifiedName() {
    return policy + "/" + name;
  }

  /** True until {@code expiresAt} (exclusive); always without one. */
  public boolean activeAt(Instant now) {
    return expiresAt == null || now.isBefore(expiresAt);
  }

  /**
   * True when this exception is judged against workloads (it names namespaces, names or labels, as
   * the admission webhook and the cluster audit read it); otherwise against cloud results.
   */
  public boolean matchesWorkloads() {
    var m = match;
    return m != null && (hasAny(m.namespaces()) || hasAny(m.names()) || hasAny(m.labels()));
  }

  /**
   * True for a workload result of this rule on this object. An exception without a workload
   * criterion never matches a workload; cloud criteria play no part here.
   */
  public boolean matchesWorkload(
      String ruleId, String namespace, String name, Map<String, String> labels) {
    if (!matchesWorkloads() || !RulePatterns.anyMatchesRule(rules, ruleId)) {
      return false;
    }
    var m = match;
    return (!hasAny(m.namespaces()) || m.namespaces().contains(namespace))
        && (!hasAny(m.names())
            || m.names().stream().anyMatch(g -> RulePatterns.glob(g, name == null ? "" : name)))
        && containsAll(labels, m.labels());
  }

  /**
   * True for a cloud result of this rule on this resource. Workload criteria never match a cloud
   * result; accounts and regions match exactly, resource ARNs as globs, tags must all be present.
   */
  public boolean matchesCloud(
      String ruleId, String accountId, String region, String arn, Map<String, String> tags) {
    if (match == null || matchesWorkloads() || !RulePatterns.anyMatchesRule(rules, ruleId)) {
      return false;
    }
    var m = match;
    return (!hasAny(m.accounts()) || m.accounts().contains(accountId))
        && (!hasAny(m.regions()) || m.regions().contains(region))
        && (!hasAny(m.resourceArns())
            || m.resourceArns().stream().anyMatch(g -> RulePatterns.glob(g, arn)))
        && containsAll(tags, m.tags());
  }

  private static boolean containsAll(Map<String, String> actual, Map<String, String> wanted) {
    if (wanted == null || wanted.isEmpty()) {
      return true;
    }
    var a = actual == null ? Map.<String, String>of() : actual;
    return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(a.get(e.getKey())));
  }

  private static boolean hasAny(Collection<?> c) {
    return c != null && !c.isEmpty();
  }

  private static boolean hasAny(Map<?, ?> m) {
    return m != null && !m.isEmpty();
  }
}
