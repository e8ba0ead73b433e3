package dev.parapet.webhook.rules;

import static dev.parapet.webhook.Fixtures.container;
import static dev.parapet.webhook.Fixtures.evaluate;
import static dev.parapet.webhook.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.webhook.Fixtures;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import org.junit.jupiter.api.Test;

class HostNetworkRuleTest {
  static final String ID = "host-network";

  @Test
  void reportsHostNetwork() {
    var pod =
        Fixtures.pod(
            new PodSpecBuilder().withHostNetwork(true).withContainers(container("x")).build());
    var v = evaluate(pod, policy("forbidHostNetwork: true"), ID);
    assertThat(v).hasSize(1);
    assertThat(v.get(0).fieldPath()).isEqualTo("spec.hostNetwork");
    assertThat(v.get(0).detail()).isEqualTo("pod (spec.hostNetwork) sets hostNetwork: true");
  }

  @Test
  void passesWithoutHostNetworkOrWhenThePolicyAllowsIt() {
    var off = Fixtures.pod(new PodSpecBuilder().withHostNetwork(false).build());
    var on = Fixtures.pod(new PodSpecBuilder().withHostNetwork(true).build());
    assertThat(evaluate(off, policy("forbidHostNetwork: true"), ID)).isEmpty();
    assertThat(evaluate(Fixtures.pod(new PodSpecBuilder().build()), policy(""), ID)).isEmpty();
    assertThat(evaluate(on, policy("forbidHostNetwork: false"), ID)).isEmpty();
  }
}
