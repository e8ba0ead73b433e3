package dev.parapet.webhook.rules;

import static dev.parapet.webhook.Fixtures.evaluate;
import static dev.parapet.webhook.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.webhook.Fixtures;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import org.junit.jupiter.api.Test;

class HostIpcRuleTest {
  static final String ID = "host-ipc";
  final io.fabric8.kubernetes.api.model.Pod pod =
      Fixtures.pod(new PodSpecBuilder().withHostIPC(true).build());

  @Test
  void reportsHostIpcWhenForbidden() {
    assertThat(evaluate(pod, policy("forbidHostIPC: true"), ID))
        .extracting(x -> x.detail())
        .containsExactly("pod (spec.hostIPC) sets hostIPC: true");
  }

  @Test
  void passesByDefaultAndWhenExcluded() {
    assertThat(evaluate(pod, policy(""), ID)).isEmpty();
    assertThat(evaluate(pod, policy("forbidHostIPC: true\nrules:\n  exclude: [host-*]"), ID))
        .isEmpty();
  }
}
