package dev.parapet.webhook.rules;

import dev.parapet.api.v1alpha1.Severity;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.policy.AdmissionPolicy;

/** A pod spec with hostPID: true sees and can signal every process on the node. */
public final class HostPidRule implements WorkloadRule {
  public static final RuleMetadata METADATA =
      new RuleMetadata(
          "host-pid",
          "Pod shares the host PID namespace",
          "Pod がホストの PID 名前空間を共有しています",
          "remove hostPID or add an exception",
          "hostPID を削除するか、例外を追加してください",
          Severity.HIGH,
          RuleMetadata.POD_KINDS);

  @Override
  public RuleMetadata metadata() {
    return METADATA;
  }

  @Override
  public boolean enabled(AdmissionPolicy policy) {
    return policy.forbidHostPID();
  }

  @Override
  public void evaluate(WorkloadReview review, AdmissionPolicy policy, Findings out) {
    for (var ps : review.podSpecs()) {
      if (Boolean.TRUE.equals(ps.spec().getHostPID())) {
        out.add(
            null,
            ps.path() + ".hostPID",
            METADATA.id(),
            "pod (" + ps.path() + ".hostPID) sets hostPID: true");
      }
    }
  }
}
