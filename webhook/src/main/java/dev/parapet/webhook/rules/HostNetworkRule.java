package dev.parapet.webhook.rules;

import dev.parapet.api.v1alpha1.Severity;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.policy.AdmissionPolicy;

/** A pod spec with hostNetwork: true exposes every port it opens on the node. */
public final class HostNetworkRule implements WorkloadRule {
  public static final RuleMetadata METADATA =
      new RuleMetadata(
          "host-network",
          "Pod uses the host network",
          "Pod がホストネットワークを使用しています",
          "remove hostNetwork or add an exception",
          "hostNetwork を削除するか、例外を追加してください",
          Severity.HIGH,
          RuleMetadata.POD_KINDS);

  @Override
  public RuleMetadata metadata() {
    return METADATA;
  }

  @Override
  public boolean enabled(AdmissionPolicy policy) {
    return policy.forbidHostNetwork();
  }

  @Override
  public void evaluate(WorkloadReview review, AdmissionPolicy policy, Findings out) {
    for (var ps : review.podSpecs()) {
      if (Boolean.TRUE.equals(ps.spec().getHostNetwork())) {
        out.add(
            null,
            ps.path() + ".hostNetwork",
            METADATA.id(),
            "pod (" + ps.path() + ".hostNetwork) sets hostNetwork: true");
      }
    }
  }
}
