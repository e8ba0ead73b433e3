package dev.parapet.operator.findings;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.policy.EffectivePolicy;
import dev.parapet.operator.scan.CheckResult;
import dev.parapet.operator.scan.RuleRegion;
import dev.parapet.operator.scan.ScanOutcome;
import dev.parapet.webhook.secrets.Redactor;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** Turns the FAIL results of a scan into desired Finding objects, exceptions applied. */
public final class CloudFindings {

  /** Desired findings plus the exceptions (policy/name) that matched something. */
  public record Desired(List<DesiredFinding> findings, Set<String> usedExceptions) {}

  private CloudFindings() {}

  public static Desired desired(
      CloudAccount account, ScanOutcome outcome, EffectivePolicy policy, int maxMessageLength) {
    var accountId = account.getSpec().accountId();
    var owner = owner(account);
    var used = new HashSet<String>();
    var out = new ArrayList<DesiredFinding>();
    var seen = new HashSet<String>();
    for (var r : outcome.failures()) {
      var name = name(accountId, r);
      if (!seen.add(name)) {
        continue; // the engine reported the same result twice; one Finding is enough
      }
      var exception =
          policy.cloudException(r.rule().id(), accountId, r.region(), r.arn(), r.tags());
      exception.ifPresent(e -> used.add(e.qualifiedName()));
      var suppressedBy =
          exception
              .map(
                  e ->
                      new FindingStatus.SuppressedBy(
                          e.policy(),
                          e.name(),
                          e.reason(),
                          e.expiresAt() == null ? null : e.expiresAt().toString()))
              .orElse(null);
      out.add(
          new DesiredFinding(
              account.getMetadata().getNamespace(),
              name,
              Map.of(
                  Finding.LABEL_SEVERITY, r.severity().wireValue(),
                  Finding.LABEL_RULE, FindingNames.labelValue(r.rule().id()),
                  Finding.LABEL_SOURCE, FindingSpec.Source.AWS.wireValue(),
                  Finding.LABEL_ACCOUNT, accountId,
                  Finding.LABEL_REGION, FindingNames.labelValue(r.region())),
              spec(accountId, r, maxMessageLength),
              owner,
              suppressedBy));
    }
    return new Desired(out, used);
  }

  /**
   * Why an observed Finding that is no longer desired is resolved: {@link
   * FindingStatus#RESOLVED_OUT_OF_SCAN_TARGET} when its resource was judged outside the account's
   * scan targets in this scan, else null (it simply no longer fails, or its resource is gone).
   */
  public static Function<Finding, String> resolvedReason(
      CloudAccount account, ScanOutcome outcome) {
    if (outcome.outOfTarget().isEmpty()) {
      return f -> null;
    }
    var accountId = account.getSpec().accountId();
    var names = new HashSet<String>();
    outcome.outOfTarget().forEach(r -> names.add(name(accountId, r)));
    return f ->
        names.contains(f.getMetadata().getName())
            ? FindingStatus.RESOLVED_OUT_OF_SCAN_TARGET
            : null;
  }

  /** Findings whose (rule, region) was UNKNOWN in this scan must not be resolved. */
  public static Predicate<Finding> untouchable(ScanOutcome outcome) {
    Set<RuleRegion> unknown = outcome.unknown();
    return f ->
        f.getSpec() != null
            && f.getSpec().rule() != null
            && f.getSpec().resource() != null
            && unknown.contains(
                new RuleRegion(f.getSpec().rule().id(), f.getSpec().resource().region()));
  }

  /** The name of the Finding of a FAIL result. */
  public static String name(String accountId, CheckResult r) {
    var resource = r.arn() != null && !r.arn().isEmpty() ? r.arn() : r.resourceId();
    return FindingNames.name(
        r.rule().id(), accountId + "/" + r.region() + "/" + resource + "#" + r.key());
  }

  static FindingSpec spec(String accountId, CheckResult r, int maxMessageLength) {
    var rule = r.rule();
    return new FindingSpec(
        FindingSpec.Source.AWS,
        new FindingSpec.Rule(
            rule.id(), rule.titleEn(), rule.titleJa(), r.severity(), compliance(rule)),
        new FindingSpec.Resource(
            r.resourceType(),
            r.resourceId(),
            r.arn(),
            accountId,
            r.region(),
            null,
            null,
            null,
            null),
        truncate(Redactor.redact(r.message()), maxMessageLength),
        rule.remediationEn() == null && rule.remediationUrl() == null
            ? null
            : new FindingSpec.Remediation(
                rule.remediationEn(), rule.remediationJa(), rule.remediationUrl()));
  }

  /** The rule's compliance controls as the Finding API spells them. */
  public static List<FindingSpec.Compliance> compliance(RuleMetadata rule) {
    return rule.compliance().stream()
        .map(c -> new FindingSpec.Compliance(c.framework(), c.id()))
        .toList();
  }

  /** The ownerReference to the CloudAccount (the API server deletes findings with it). */
  public static OwnerReference owner(CloudAccount account) {
    return new OwnerReferenceBuilder()
        .withApiVersion(account.getApiVersion())
        .withKind(account.getKind())
        .withName(account.getMetadata().getName())
        .withUid(account.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(false)
        .build();
  }

  static String truncate(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    return s.substring(0, Math.max(0, max - 1)) + "…";
  }
}
