package dev.parapet.webhook.rules;

import static dev.parapet.webhook.Fixtures.evaluate;
import static dev.parapet.webhook.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.webhook.Fixtures;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import org.junit.jupiter.api.Test;

class HostPidRuleTest {
  static final String ID = "host-pid";
  final io.fabric8.kubernetes.api.model.Pod pod =
      Fixtures.pod(new PodSpecBuilder().withHostPID(true).build());

  @Test
  void reportsHostPidWhenForbidden() {
    var v = evaluate(pod, policy("forbidHostPID: true"), ID);
    assertThat(v).extracting(x -> x.fieldPath()).containsExactly("spec.hostPID");
  }

  @Test
  void isOptInByDefaultAndCanBeIncludedByRuleId() {
    assertThat(evaluate(pod, policy(""), ID)).isEmpty();
    assertThat(evaluate(pod, policy("rules:\n  include: [host-pid]"), ID)).hasSize(1);
    assertThat(
            evaluate(Fixtures.pod(new PodSpecBuilder().build()), policy("forbidHostPID: true"), ID))
        .isEmpty();
  }
}
