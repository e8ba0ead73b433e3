package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.secrets.Shown;

/** A containerPort or hostPort on the policy's forbidden list (ports, ranges, protocols). */
public final class ForbiddenPortRule implements WorkloadRule {
  public static final RuleMetadata METADATA =
      RuleMetadata.workload(
          "port-forbidden",
          "Container exposes a forbidden port",
          "コンテナが禁止ポートを公開しています",
          "remove the port or add an exception",
          "ポートを削除するか、例外を追加してください",
          Severity.HIGH,
          RuleMetadata.POD_KINDS);

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
    for (var ps : review.podSpecs()) {
      for (var c : ps.containers()) {
        for (int i = 0; i < c.ports().size(); i++) {
          var p = c.ports().get(i);
          if (p == null) {
            continue;
          }
          var proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
          var path = c.path() + ".ports[" + i + "]";
          check(policy, out, c.name(), path, "containerPort", p.getContainerPort(), proto);
          check(policy, out, c.name(), path, "hostPort", p.getHostPort(), proto);
        }
      }
    }
  }

  private static void check(
      AdmissionPolicy policy,
      Findings out,
      String container,
      String path,
      String field,
      Integer port,
      String proto) {
    if (port == null || port <= 0) {
      return;
    }
    for (var rule : policy.forbiddenPorts()) {
      if (rule.matches(port, proto)) {
        var what = field.equals("hostPort") ? "host port " : "port ";
        var fieldPath = field.equals("hostPort") ? path + ".hostPort" : path;
        out.add(
            container,
            fieldPath,
            METADATA.id() + "/" + container + "/" + field + "/" + port + "/" + proto,
            "container \""
                + Shown.name(container)
                + "\" ("
                + fieldPath
                + ") exposes forbidden "
                + what
                + port
                + "/"
                + Shown.name(proto));
        return;
      }
    }
  }
}
