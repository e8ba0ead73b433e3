package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.policy.AdmissionPolicy;
import io.fabric8.kubernetes.api.model.PodSpec;

/** A pod spec with hostIPC: true shares memory segments with the node. */
public final class HostIpcRule extends HostNamespaceRule {
  public static final RuleMetadata METADATA =
      RuleMetadata.workload(
          "host-ipc",
          "Pod shares the host IPC namespace",
          "Pod がホストの IPC 名前空間を共有しています",
          "remove hostIPC or add an exception",
          "hostIPC を削除するか、例外を追加してください",
          Severity.MEDIUM,
          RuleMetadata.POD_KINDS);

  public HostIpcRule() {
    super(METADATA, "hostIPC", AdmissionPolicy::forbidHostIPC, PodSpec::getHostIPC);
  }
}
