package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.policy.AdmissionPolicy;
import java.util.Set;

/** A Service of type NodePort, which opens its ports on every node. */
public final class ServiceNodePortRule implements WorkloadRule {
  public static final RuleMetadata METADATA =
      RuleMetadata.workload(
          "service-nodeport",
          "Service opens a NodePort on every node",
          "Service がすべてのノードで NodePort を開いています",
          "use type ClusterIP behind an Ingress or an internal load balancer, or add an exception",
          "Ingress または内部ロードバランサーの背後で ClusterIP を使用するか、例外を追加してください",
          Severity.MEDIUM,
          Set.of("Service"));

  @Override
  public RuleMetadata metadata() {
    return METADATA;
  }

  @Override
  public boolean enabled(AdmissionPolicy policy) {
    return policy.forbidNodePort();
  }

  @Override
  public void evaluate(WorkloadReview review, AdmissionPolicy policy, Findings out) {
    var svc = review.service();
    if (svc == null || svc.getSpec() == null || !"NodePort".equals(svc.getSpec().getType())) {
      return;
    }
    out.add(null, "spec.type", METADATA.id(), "service (spec.type) is of type NodePort");
  }
}
