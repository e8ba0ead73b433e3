package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.policy.AdmissionPolicy;
import io.fabric8.kubernetes.api.model.PodSpec;

/** A pod spec with hostNetwork: true exposes every port it opens on the node. */
public final class HostNetworkRule extends HostNamespaceRule {
  public static final RuleMetadata METADATA =
      RuleMetadata.workload(
          "host-network",
          "Pod uses the host network",
          "Pod がホストネットワークを使用しています",
          "remove hostNetwork or add an exception",
          "hostNetwork を削除するか、例外を追加してください",
          Severity.HIGH,
          RuleMetadata.POD_KINDS);

  public HostNetworkRule() {
    super(METADATA, "hostNetwork", AdmissionPolicy::forbidHostNetwork, PodSpec::getHostNetwork);
  }
}
