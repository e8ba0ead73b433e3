package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.policy.AdmissionPolicy;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import java.util.Set;

/**
 * A forbidden port exposed by a LoadBalancer Service or through {@code externalIPs}. An internal
 * load balancer (by its cloud annotation) is acceptable when the policy sets {@code
 * allowInternalLoadBalancers}.
 */
public final class ServiceExposedPortRule implements WorkloadRule {
  public static final RuleMetadata METADATA =
      RuleMetadata.workload(
          "service-exposed-port",
          "Service exposes a forbidden port outside the cluster",
          "Service が禁止ポートをクラスター外に公開しています",
          "remove the port from the Service, make the load balancer internal, or add an exception",
          "Service からポートを削除するか、内部ロードバランサーにするか、例外を追加してください",
          Severity.HIGH,
          Set.of("Service"));

  /** Annotations that make a cloud load balancer internal. */
  static final Map<String, String> INTERNAL_LB_ANNOTATIONS =
      Map.of(
          "service.beta.kubernetes.io/aws-load-balancer-internal", "true",
          "service.beta.kubernetes.io/aws-load-balancer-scheme", "internal",
          "service.beta.kubernetes.io/azure-load-balancer-internal", "true",
          "networking.gke.io/load-balancer-type", "Internal",
          "cloud.google.com/load-balancer-type", "Internal");

  @Override
  public RuleMetadata metadata() {
    return METADATA;
  }

  @Override
  public boolean enabled(AdmissionPolicy policy) {
    return !policy.forbiddenPorts().isEmpty();
  }

  @Override
  public void evaluate(WorkloadReview review, AdmissionPolicy policy, Findings out) {
    var svc = review.service();
    if (svc == null || svc.getSpec() == null || svc.getSpec().getPorts() == null) {
      return;
    }
    var spec = svc.getSpec();
    boolean lb =
        "LoadBalancer".equals(spec.getType())
            && !(policy.allowInternalLoadBalancers() && isInternal(svc));
    boolean external = spec.getExternalIPs() != null && !spec.getExternalIPs().isEmpty();
    if (!lb && !external) {
      return;
    }
    var via = lb ? "a LoadBalancer" : "externalIPs";
    for (int i = 0; i < spec.getPorts().size(); i++) {
      var p = spec.getPorts().get(i);
      if (p == null || p.getPort() == null) {
        continue;
      }
      var proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
      for (var rule : policy.forbiddenPorts()) {
        if (rule.matches(p.getPort(), proto)) {
          var path = "spec.ports[" + i + "]";
          out.add(
              null,
              path,
              METADATA.id() + "/" + p.getPort() + "/" + proto,
              "service ("
                  + path
                  + ") exposes forbidden port "
                  + p.getPort()
                  + "/"
                  + proto
                  + " through "
                  + via);
          break;
        }
      }
    }
  }

  static boolean isInternal(Service svc) {
    var ann = svc.getMetadata() == null ? null : svc.getMetadata().getAnnotations();
    if (ann == null) {
      return false;
    }
    for (var e : INTERNAL_LB_ANNOTATIONS.entrySet()) {
      if (e.getValue().equalsIgnoreCase(ann.getOrDefault(e.getKey(), ""))) {
        return true;
      }
    }
    return false;
  }
}
