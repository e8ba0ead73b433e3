package dev.parapet.operator.activity;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.aws.events.activity.ActivityObservation;
import dev.parapet.operator.aws.events.activity.ActivityRules;
import dev.parapet.operator.findings.CloudFindings;
import dev.parapet.operator.findings.DesiredFinding;
import dev.parapet.operator.findings.FindingNames;
import dev.parapet.operator.policy.EffectivePolicy;
import dev.parapet.webhook.secrets.Redactor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns activity observations into desired Finding objects of category activity, and re-judges
 * existing ones against the current policy: the rule must be enabled, the severity is the policy's,
 * and an exception that matches (rule, account, region, ARN; activity findings carry no tags) makes
 * it Suppressed, exactly as for posture findings. Every text passes through the one {@link
 * Redactor}.
 */
public final class ActivityFindings {

  /** Desired findings plus the exceptions (policy/name) that matched something. */
  public record Desired(List<DesiredFinding> findings, Set<String> usedExceptions) {}

  private ActivityFindings() {}

  /** The name of the finding of an observation: one per event and rule, whatever redelivers it. */
  public static String name(String ruleId, String accountId, String eventId) {
    return FindingNames.name(ruleId, accountId + "/" + eventId);
  }

  /**
   * The desired findings of {@code observations} in {@code account}: those of enabled rules, for
   * the CloudAccount's own AWS account.
   */
  public static Desired desired(
      CloudAccount account,
      List<ActivityObservation> observations,
      EffectivePolicy policy,
      int maxMessageLength) {
    var accountId = account.getSpec().accountId();
    var out = new ArrayList<DesiredFinding>();
    var used = new HashSet<String>();
    var seen = new HashSet<String>();
    for (var o : observations) {
      var rule = o.rule();
      if (!policy.enabledRules().contains(rule.id())) {
        continue;
      }
      if (o.accountId() != null && !o.accountId().equals(accountId)) {
        continue; // another account's event on this queue (an organization bus): not ours
      }
      var name = name(rule.id(), accountId, o.eventId());
      if (!seen.add(name)) {
        continue;
      }
      var spec =
          new FindingSpec(
              FindingSpec.Source.AWS,
              new FindingSpec.Rule(
                  rule.id(),
                  rule.titleEn(),
                  rule.titleJa(),
                  policy.severities().getOrDefault(rule.id(), rule.severity()),
                  CloudFindings.compliance(rule)),
              new FindingSpec.Resource(
                  o.resourceType(),
                  Redactor.redact(o.resourceId()),
                  redact(o.resourceArn()),
                  accountId,
                  o.region(),
                  null,
                  null,
                  null,
                  null),
              truncate(Redactor.redact(o.evidence()), maxMessageLength),
              rule.remediationEn() == null
                  ? null
                  : new FindingSpec.Remediation(
                      rule.remediationEn(), rule.remediationJa(), rule.remediationUrl()),
              FindingSpec.Category.ACTIVITY,
              new FindingSpec.Activity(
                  redact(o.eventId()),
                  redact(o.eventName()),
                  redact(o.eventSource()),
                  redact(o.eventTime()),
                  redact(o.principalArn()),
                  redact(o.principalType()),
                  redact(o.sourceIp())));
      out.add(finding(account, name, spec, policy, used));
    }
    return new Desired(out, used);
  }

  /**
   * The existing activity findings of an account re-judged against {@code policy}: severity and
   * exception as they would be if their events arrived now. Findings of rules the policy no longer
   * enables are left out (they stay as they are until their retention ends).
   */
  public static Desired rejudged(
      CloudAccount account, List<Finding> existing, EffectivePolicy policy) {
    var out = new ArrayList<DesiredFinding>();
    var used = new HashSet<String>();
    for (var f : existing) {
      var spec = f.getSpec();
      if (spec == null
          || !spec.ofActivity()
          || spec.rule() == null
          || !policy.enabledRules().contains(spec.rule().id())) {
        continue;
      }
      var rule = findRule(spec.rule().id());
      var severity =
          policy
              .severities()
              .getOrDefault(
                  spec.rule().id(),
                  rule.map(RuleMetadata::severity).orElse(spec.rule().severity()));
      var updated =
          new FindingSpec(
              spec.source(),
              new FindingSpec.Rule(
                  spec.rule().id(),
                  spec.rule().title(),
                  spec.rule().titleJa(),
                  severity,
                  spec.rule().compliance()),
              spec.resource(),
              spec.message(),
              spec.remediation(),
              spec.category(),
              spec.activity());
      out.add(finding(account, f.getMetadata().getName(), updated, policy, used));
    }
    return new Desired(out, used);
  }

  private static DesiredFinding finding(
      CloudAccount account,
      String name,
      FindingSpec spec,
      EffectivePolicy policy,
      Set<String> used) {
    var resource = spec.resource();
    var exception =
        policy.cloudException(
            spec.rule().id(), resource.accountId(), resource.region(), resource.arn(), Map.of());
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
    return new DesiredFinding(
        account.getMetadata().getNamespace(),
        name,
        labels(spec),
        spec,
        CloudFindings.owner(account),
        suppressedBy);
  }

  static Map<String, String> labels(FindingSpec spec) {
    var labels = new HashMap<String, String>();
    labels.put(Finding.LABEL_SEVERITY, spec.rule().severity().wireValue());
    labels.put(Finding.LABEL_RULE, FindingNames.labelValue(spec.rule().id()));
    labels.put(Finding.LABEL_SOURCE, FindingSpec.Source.AWS.wireValue());
    labels.put(Finding.LABEL_CATEGORY, FindingSpec.Category.ACTIVITY.wireValue());
    labels.put(Finding.LABEL_ACCOUNT, spec.resource().accountId());
    labels.put(Finding.LABEL_REGION, FindingNames.labelValue(spec.resource().region()));
    return labels;
  }

  private static Optional<RuleMetadata> findRule(String id) {
    return ActivityRules.ALL.stream()
        .map(ActivityRules.ActivityRule::metadata)
        .filter(m -> m.id().equals(id))
        .findFirst();
  }

  private static String redact(String s) {
    return s == null ? null : Redactor.redact(s);
  }

  private static String truncate(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    return s.substring(0, Math.max(0, max - 1)) + "…";
  }
}
