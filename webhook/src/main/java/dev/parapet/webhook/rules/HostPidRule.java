package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.policy.AdmissionPolicy;
import io.fabric8.kubernetes.api.model.PodSpec;

/** A pod spec with hostPID: true sees and can signal every process on the node. */
public final class HostPidRule extends HostNamespaceRule {
  public static final RuleMetadata METADATA =
      RuleMetadata.workload(
          "host-pid",
          "Pod shares the host PID namespace",
          "Pod がホストの PID 名前空間を共有しています",
          "remove hostPID or add an exception",
          "hostPID を削除するか、例外を追加してください",
          Severity.HIGH,
          RuleMetadata.POD_KINDS);

  public HostPidRule() {
    super(METADATA, "hostPID", AdmissionPolicy::forbidHostPID, PodSpec::getHostPID);
  }
}
