package dev.parapet.webhook.rules;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.Violation;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.budget.NotFullyChecked;
import dev.parapet.webhook.policy.AdmissionPolicy;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Not a check but the outcome of one that ran out of time: the object could not be fully checked
 * within the evaluation's deadline, so it must not be read as clean. Under a policy that can deny
 * it is a Deny (fail closed where the user asked to enforce), otherwise a Warn. The webhook, the
 * cluster audit and {@code parapet check} all report it through {@link
 * dev.parapet.webhook.policy.PolicySet#evaluate}.
 */
public final class NotFullyCheckedRule {
  public static final RuleMetadata METADATA =
      RuleMetadata.workload(
          "not-fully-checked",
          "Object could not be fully checked in time",
          "オブジェクトを時間内に完全には検査できませんでした",
          "shrink the object's env values, args, annotations or ConfigMap data, or split it",
          "オブジェクトの env 値・args・アノテーション・ConfigMap データを小さくするか分割してください",
          Severity.HIGH,
          CredentialRule.ALL_KINDS);

  private NotFullyCheckedRule() {}

  /** The one violation that stands for the whole object under the {@code selected} policies. */
  public static Violation violation(
      WorkloadReview review, List<AdmissionPolicy> selected, NotFullyChecked e) {
    var enforcement =
        selected.stream().anyMatch(AdmissionPolicy::canDeny) ? Enforcement.DENY : Enforcement.WARN;
    return new Violation(
        METADATA,
        enforcement,
        selected.stream().map(AdmissionPolicy::name).collect(Collectors.joining(",")),
        review.kind(),
        review.namespace(),
        review.name(),
        null,
        null,
        METADATA.id(),
        "not fully checked within " + e.budgetMillis() + " ms",
        null);
  }
}
