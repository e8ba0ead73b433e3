package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Evaluates the enabled rules on an inventory and applies the policy: drops a FAIL already covered
 * by a broader rule's FAIL on the same resource, applies severity overrides and lists the (rule,
 * region) pairs that were UNKNOWN. Pure; no AWS calls.
 */
public final class PolicyApplication {
  private PolicyApplication() {}

  /** The policy-applied results plus what the finding writer needs to know. */
  public record Outcome(List<ScanResult> results, List<UnknownScope> unknownScopes) {}

  public static Outcome apply(List<AwsRule> enabled, Inventory inventory, CloudPolicy policy) {
    var raw = new ArrayList<Evaluated>();
    for (var rule : enabled) {
      for (var result : rule.evaluate(inventory, policy.parameters())) {
        raw.add(new Evaluated(rule, result));
      }
    }
    // FAILs of broader rules, by rule id and resource ARN, to cut duplicates.
    var failed = new HashSet<String>();
    raw.stream()
        .filter(e -> e.result().status() == ResultStatus.FAIL)
        .forEach(e -> failed.add(e.rule().id() + "|" + e.result().resource().arn()));

    var results = new ArrayList<ScanResult>();
    var unknown = new ArrayList<UnknownScope>();
    for (var e : raw) {
      var meta = e.rule().metadata();
      var r = e.result();
      if (r.status() == ResultStatus.FAIL
          && meta.coveredBy() != null
          && failed.contains(meta.coveredBy() + "|" + r.resource().arn())) {
        continue;
      }
      var severity = policy.severityOverrides().getOrDefault(meta.id(), meta.severity());
      if (r.status() == ResultStatus.UNKNOWN) {
        unknown.add(new UnknownScope(meta.id(), r.region(), r.cause()));
      }
      results.add(
          new ScanResult(
              meta, r.status(), r.region(), r.resource(), r.evidence(), severity, r.cause()));
    }
    results.sort(order(enabled, inventory));
    return new Outcome(results, unknown);
  }

  private static Comparator<ScanResult> order(List<AwsRule> enabled, Inventory inventory) {
    var ruleOrder = enabled.stream().map(AwsRule::id).toList();
    var regionOrder = inventory.regions();
    return Comparator.comparingInt((ScanResult r) -> ruleOrder.indexOf(r.ruleId()))
        .thenComparingInt(r -> regionOrder.indexOf(r.region()))
        .thenComparing(r -> r.resource() == null ? "" : r.resource().id());
  }

  /** The ids of rules that produced at least one result of the status. */
  static Set<String> rulesWith(List<ScanResult> results, ResultStatus status) {
    var ids = new HashSet<String>();
    results.stream().filter(r -> r.status() == status).forEach(r -> ids.add(r.ruleId()));
    return ids;
  }

  private record Evaluated(AwsRule rule, RuleResult result) {}
}
