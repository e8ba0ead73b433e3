package dev.parapet.webhook.rules;

import static dev.parapet.webhook.Fixtures.container;
import static dev.parapet.webhook.Fixtures.evaluate;
import static dev.parapet.webhook.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.webhook.Fixtures;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import org.junit.jupiter.api.Test;

class ForbiddenPortRuleTest {
  static final String ID = "port-forbidden";
  final dev.parapet.webhook.policy.AdmissionPolicy policy =
      policy(
          """
          forbiddenPorts:
            - port: 22
              protocol: TCP
            - port: 6000
              endPort: 6010
            - port: 53
              protocol: UDP
          """);

  static io.fabric8.kubernetes.api.model.Container withPort(String name, int port, String proto) {
    return new ContainerBuilder(container(name))
        .withPorts(new ContainerPortBuilder().withContainerPort(port).withProtocol(proto).build())
        .build();
  }

  @Test
  void reportsAForbiddenContainerPortWithItsPath() {
    var v = evaluate(Fixtures.deployment(withPort("web", 22, "TCP")), policy, ID);
    assertThat(v).hasSize(1);
    assertThat(v.get(0).fieldPath()).isEqualTo("spec.template.spec.containers[0].ports[0]");
    assertThat(v.get(0).container()).isEqualTo("web");
    assertThat(v.get(0).message())
        .isEqualTo(
            "Deployment prod/api: container \"web\" (spec.template.spec.containers[0].ports[0]) exposes"
                + " forbidden port 22/TCP [rule port-forbidden, policy test]: remove the port or add an"
                + " exception");
  }

  @Test
  void matchesRangesAndAnyProtocolWhenNoneIsGiven() {
    assertThat(evaluate(Fixtures.pod(withPort("x", 6005, "UDP")), policy, ID)).hasSize(1);
    assertThat(evaluate(Fixtures.pod(withPort("x", 6011, "TCP")), policy, ID)).isEmpty();
  }

  @Test
  void respectsTheProtocol() {
    assertThat(evaluate(Fixtures.pod(withPort("x", 22, "UDP")), policy, ID)).isEmpty();
    assertThat(evaluate(Fixtures.pod(withPort("x", 53, "UDP")), policy, ID)).hasSize(1);
    assertThat(evaluate(Fixtures.pod(withPort("x", 53, "TCP")), policy, ID)).isEmpty();
  }

  @Test
  void aMissingProtocolMeansTcp() {
    var c =
        new ContainerBuilder(container("x"))
            .withPorts(new ContainerPortBuilder().withContainerPort(22).build())
            .build();
    assertThat(evaluate(Fixtures.pod(c), policy, ID)).hasSize(1);
  }

  @Test
  void checksHostPortsInitAndEphemeralContainers() {
    var hostPort =
        new ContainerBuilder(container("agent"))
            .withPorts(new ContainerPortBuilder().withContainerPort(9100).withHostPort(22).build())
            .build();
    var spec =
        new PodSpecBuilder()
            .withInitContainers(withPort("init", 6001, "TCP"))
            .withContainers(hostPort)
            .withEphemeralContainers(
                new EphemeralContainerBuilder()
                    .withName("debug")
                    .withPorts(new ContainerPortBuilder().withContainerPort(22).build())
                    .build())
            .build();
    var paths = evaluate(Fixtures.pod(spec), policy, ID).stream().map(v -> v.fieldPath()).toList();
    assertThat(paths)
        .containsExactlyInAnyOrder(
            "spec.initContainers[0].ports[0]",
            "spec.containers[0].ports[0].hostPort",
            "spec.ephemeralContainers[0].ports[0]");
  }

  @Test
  void passesAllowedPortsNullListsAndAnEmptyPortList() {
    assertThat(evaluate(Fixtures.pod(withPort("x", 8080, "TCP")), policy, ID)).isEmpty();
    assertThat(evaluate(Fixtures.pod(new PodSpecBuilder().build()), policy, ID)).isEmpty();
    assertThat(evaluate(Fixtures.pod(withPort("x", 22, "TCP")), policy("forbiddenPorts: []"), ID))
        .isEmpty();
  }

  @Test
  void theDefaultListForbidsSsh() {
    assertThat(evaluate(Fixtures.pod(withPort("x", 22, "TCP")), policy(""), ID)).hasSize(1);
  }
}
