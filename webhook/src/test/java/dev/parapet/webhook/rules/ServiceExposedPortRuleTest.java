package dev.parapet.webhook.rules;

import static dev.parapet.webhook.Fixtures.evaluate;
import static dev.parapet.webhook.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceExposedPortRuleTest {
  static final String ID = "service-exposed-port";

  static Service service(String type, List<String> externalIps, Map<String, String> annotations) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName("ssh")
        .withNamespace("prod")
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withType(type)
        .withExternalIPs(externalIps)
        .addNewPort()
        .withPort(443)
        .endPort()
        .addNewPort()
        .withPort(22)
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  @Test
  void reportsForbiddenPortsOnALoadBalancer() {
    var v = evaluate(service("LoadBalancer", List.of(), Map.of()), policy(""), ID);
    assertThat(v).hasSize(1);
    assertThat(v.get(0).detail())
        .isEqualTo("service (spec.ports[1]) exposes forbidden port 22/TCP through a LoadBalancer");
  }

  @Test
  void reportsForbiddenPortsThroughExternalIps() {
    var v = evaluate(service("ClusterIP", List.of("203.0.113.10"), Map.of()), policy(""), ID);
    assertThat(v).extracting(x -> x.detail()).allMatch(d -> d.endsWith("through externalIPs"));
  }

  @Test
  void acceptsInternalLoadBalancersOnlyWhenThePolicySaysSo() {
    var internal =
        service(
            "LoadBalancer",
            List.of(),
            Map.of("service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"));
    assertThat(evaluate(internal, policy(""), ID)).hasSize(1);
    assertThat(evaluate(internal, policy("allowInternalLoadBalancers: true"), ID)).isEmpty();
  }

  @Test
  void passesClusterIpServicesAndAllowedPorts() {
    assertThat(evaluate(service("ClusterIP", List.of(), Map.of()), policy(""), ID)).isEmpty();
    assertThat(
            evaluate(
                service("LoadBalancer", List.of(), Map.of()),
                policy("forbiddenPorts:\n  - port: 3389"),
                ID))
        .isEmpty();
  }
}
