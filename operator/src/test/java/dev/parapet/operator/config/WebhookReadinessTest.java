package dev.parapet.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.webhook.WebhookConfig;
import dev.parapet.webhook.policy.PolicySet;
import dev.parapet.webhook.policy.PolicyStore;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The webhook is not ready until its PolicyStore holds the real policies (no Quarkus). */
class WebhookReadinessTest {

  static WebhookConfig webhook(String policyFile, boolean watchCluster) {
    return new WebhookConfig() {
      @Override
      public Optional<String> policyFile() {
        return Optional.ofNullable(policyFile);
      }

      @Override
      public Optional<String> ownNamespace() {
        return Optional.empty();
      }

      @Override
      public int maxRequestBytes() {
        return 1 << 20;
      }

      @Override
      public long reviewBudgetMillis() {
        return 2000;
      }

      @Override
      public boolean watchCluster() {
        return watchCluster;
      }
    };
  }

  static WebhookReadiness readiness(ParapetConfig.Role role, WebhookConfig webhook, PolicyStore s) {
    var r = new WebhookReadiness();
    r.config =
        (ParapetConfig)
            Proxy.newProxyInstance(
                ParapetConfig.class.getClassLoader(),
                new Class<?>[] {ParapetConfig.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("role")) {
                    return role;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    r.webhook = webhook;
    r.store = s;
    return r;
  }

  @Test
  void webhookRoleWithClusterWatchIsDownUntilTheInformersHaveSynced() {
    var config = webhook(null, true);
    // A store whose informers have not synced: nothing started it yet.
    var store = new PolicyStore(config, null);
    assertThat(store.synced()).isFalse();

    var before = readiness(ParapetConfig.Role.webhook, config, store).call();
    assertThat(before.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(before.getData().orElseThrow())
        .containsEntry("source", "cluster")
        .containsEntry("policies", "PosturePolicy/Namespace informers not synced yet");

    // The role "all" serves /validate too.
    assertThat(readiness(ParapetConfig.Role.all, config, store).call().getStatus())
        .isEqualTo(HealthCheckResponse.Status.DOWN);

    store.replace(PolicySet.defaults());
    var after = readiness(ParapetConfig.Role.webhook, config, store).call();
    assertThat(after.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(after.getData().orElseThrow()).containsEntry("policies", "loaded");
  }

  @Test
  void controllerRoleDoesNotWaitForPolicies() {
    var config = webhook(null, true);
    var store = new PolicyStore(config, null);
    var r = readiness(ParapetConfig.Role.controller, config, store).call();
    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(r.getData().orElseThrow()).containsEntry("policies", "not needed in this role");
  }

  @Test
  void policyFileOrNoWatchNamesTheSource() {
    assertThat(WebhookReadiness.source(webhook("/etc/parapet/policies.yaml", true)))
        .isEqualTo("policy file");
    assertThat(WebhookReadiness.source(webhook(null, false))).isEqualTo("built-in default");
    assertThat(WebhookReadiness.source(webhook(null, true))).isEqualTo("cluster");
    var down = WebhookReadiness.check(ParapetConfig.Role.webhook, "policy file", false);
    assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(down.getData().orElseThrow()).containsEntry("policies", "not loaded yet");
  }
}
