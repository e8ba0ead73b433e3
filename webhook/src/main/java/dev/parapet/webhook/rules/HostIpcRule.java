package dev.parapet.webhook.rules;

import dev.parapet.api.v1alpha1.Severity;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.policy.AdmissionPolicy;

/** A pod spec with hostIPC: true shares memory segments with the node. */
public final class HostIpcRule implements WorkloadRule {
  public static final RuleMetadata METADATA =
      new RuleMetadata(
          "host-ipc",
          "Pod shares the host IPC namespace",
          "Pod がホストの IPC 名前空間を共有しています",
          "remove hostIPC or add an exception",
          "hostIPC を削除するか、例外を追加してください",
          Severity.MEDIUM,
          RuleMetadata.POD_KINDS);

  @Override
  public RuleMetadata metadata() {
    return METADATA;
  }

  @Override
  public boolean enabled(AdmissionPolicy policy) {
    return policy.forbidHostIPC();
  }

  @Override
  public void evaluate(WorkloadReview review, AdmissionPolicy policy, Findings out) {
    for (var ps : review.podSpecs()) {
      if (Boolean.TRUE.equals(ps.spec().getHostIPC())) {
        out.add(
            null,
            ps.path() + ".hostIPC",
            METADATA.id(),
            "pod (" + ps.path() + ".hostIPC) sets hostIPC: true");
      }
    }
  }
}
