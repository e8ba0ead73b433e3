package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.ResourceTags;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Evaluates the enabled rules on an inventory and applies the policy: sets aside the results of
 * resources outside the scan targets, drops a FAIL already covered by a broader rule's FAIL on the
 * same resource, applies severity overrides and lists the (rule, region) pairs that were UNKNOWN.
 * Pure; no AWS calls.
 *
 * <p>Scan targets ({@link CloudPolicy#targets()}) apply to resource-level results only: a result
 * about an account-level setting ({@code AWS::::Account}, or a rule whose resources carry no tags)
 * always stands, and so does every UNKNOWN. A resource's tags come from the rule's verdict datasets
 * (EC2, RDS, IAM: known whenever the result exists) or from its tags-only datasets ({@link
 * RuleDefinition#tagDatasets()}: S3, KMS, CloudTrail), which can be unknown on their own
 * (AccessDenied on the tag read). A resource whose tags are unknown is neither dropped (that would
 * be a silent pass) nor turned into UNKNOWN (one unreadable tag set would hide the whole rule in
 * its region): it is judged as if it were in the target, its evidence says so, and the scan's
 * errors already list the unreadable tag read.
 */
public final class PolicyApplication {
  private static final String ACCOUNT = "AWS::::Account";

  private PolicyApplication() {}

  /** Appended to the evidence of a result judged although its resource's tags are unknown. */
  public static final String TAGS_UNKNOWN_NOTE =
      "[tags unreadable: judged as if in the scan target]";

  /**
   * The policy-applied results plus what the finding writer needs to know: {@code outOfTarget} are
   * the PASS and FAIL results of resources outside the scan targets (not reported; their Findings
   * are resolved as out of target).
   */
  public record Outcome(
      List<ScanResult> results, List<UnknownScope> unknownScopes, List<ScanResult> outOfTarget) {

    public Outcome(List<ScanResult> results, List<UnknownScope> unknownScopes) {
      this(results, unknownScopes, List.of());
    }

    public Outcome {
      results = List.copyOf(results);
      unknownScopes = List.copyOf(unknownScopes);
      outOfTarget = List.copyOf(outOfTarget);
    }
  }

  public static Outcome apply(List<AwsRule> enabled, Inventory inventory, CloudPolicy policy) {
    var raw = new ArrayList<Evaluated>();
    var outOfTarget = new ArrayList<ScanResult>();
    var targets = policy.targets();
    for (var rule : enabled) {
      for (var result : rule.evaluate(inventory, policy.parameters())) {
        var target = target(rule.definition(), inventory, result, targets);
        if (target == Target.OUT) {
          var meta = rule.metadata();
          outOfTarget.add(
              new ScanResult(
                  meta,
                  result.status(),
                  result.region(),
                  result.resource(),
                  result.evidence(),
                  policy.severityOverrides().getOrDefault(meta.id(), meta.severity()),
                  null));
          continue;
        }
        if (target == Target.TAGS_UNKNOWN) {
          var evidence = result.evidence();
          result =
              new RuleResult(
                  result.status(),
                  result.region(),
                  result.resource(),
                  evidence.isEmpty() ? TAGS_UNKNOWN_NOTE : evidence + " " + TAGS_UNKNOWN_NOTE,
                  result.cause());
        }
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
    outOfTarget.sort(order(enabled, inventory));
    return new Outcome(results, unknown, outOfTarget);
  }

  /** Where a result stands against the scan targets. */
  enum Target {
    /** Judged: in the target, account-level, UNKNOWN, or no targets set. */
    IN,
    OUT,
    /** A resource-level result whose resource's tags are unknown: judged, with a note. */
    TAGS_UNKNOWN
  }

  static Target target(
      RuleDefinition rule, Inventory inventory, RuleResult result, ScanTargets targets) {
    if (!targets.active()
        || result.status() == ResultStatus.UNKNOWN
        || !rule.resourcesTagged()
        || ACCOUNT.equals(result.resource().type())) {
      return Target.IN;
    }
    if (!tagsKnown(rule, inventory, result.resource())) {
      return Target.TAGS_UNKNOWN;
    }
    return targets.membership(result.resource().tags()) == ScanTargets.Membership.IN
        ? Target.IN
        : Target.OUT;
  }

  /**
   * Whether the resource's tags were read: true when the rule takes them from its verdict datasets
   * (known, or there would be no result); otherwise every tags-only dataset must be known where the
   * resource lives and, when it holds tags per resource, hold the resource's (by id or ARN) as
   * known. A resource missing from a per-resource tag dataset counts as unknown.
   */
  static boolean tagsKnown(RuleDefinition rule, Inventory inventory, Resource resource) {
    for (var type : rule.tagDatasets()) {
      Fact<? extends Dataset> fact =
          Datasets.isGlobal(type)
              ? inventory.global(type)
              : inventory.regional(type, resource.region());
      if (!(fact instanceof Known<? extends Dataset> known)) {
        return false;
      }
      if (known.value() instanceof ResourceTags tags) {
        var byResource = tags.byResource();
        var entry =
            byResource.containsKey(resource.id())
                ? byResource.get(resource.id())
                : byResource.get(resource.arn());
        if (!(entry instanceof Known<?>)) {
          return false;
        }
      }
    }
    return true;
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
