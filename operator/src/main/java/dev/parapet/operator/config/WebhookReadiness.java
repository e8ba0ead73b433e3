package dev.parapet.operator.config;

import dev.parapet.webhook.WebhookConfig;
import dev.parapet.webhook.policy.PolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the admission webhook, aware of the role: in a role that serves {@code /validate}
 * (webhook, all) the pod is not ready until the {@link PolicyStore} holds the real policies. With
 * the cluster watch on, that is once the PosturePolicy and Namespace informers have synced; before
 * that the built-in Warn default would answer for every policy, so a Deny policy would act as Warn.
 * With a policy file it is as soon as the file is loaded (at startup).
 */
@Readiness
@ApplicationScoped
public class WebhookReadiness implements HealthCheck {
  static final String NAME = "parapet-webhook-policies";

  @Inject ParapetConfig config;
  @Inject WebhookConfig webhook;
  @Inject PolicyStore store;

  @Override
  public HealthCheckResponse call() {
    return check(config.role(), source(webhook), store.synced());
  }

  /** Where the policies come from, as reported in the check's data. */
  static String source(WebhookConfig webhook) {
    if (webhook.policyFile().isPresent() && !webhook.policyFile().get().isBlank()) {
      return "policy file";
    }
    return webhook.watchCluster() ? "cluster" : "built-in default";
  }

  static HealthCheckResponse check(ParapetConfig.Role role, String source, boolean synced) {
    var b = HealthCheckResponse.named(NAME).withData("role", role.name());
    if (role == ParapetConfig.Role.controller) {
      return b.up().withData("policies", "not needed in this role").build();
    }
    b.withData("source", source);
    if (!synced) {
      return b.down()
          .withData(
              "policies",
              source.equals("cluster")
                  ? "PosturePolicy/Namespace informers not synced yet"
                  : "not loaded yet")
          .build();
    }
    return b.up().withData("policies", "loaded").build();
  }
}
