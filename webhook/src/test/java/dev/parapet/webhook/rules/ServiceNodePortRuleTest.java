package dev.parapet.webhook.rules;

import static dev.parapet.webhook.Fixtures.evaluate;
import static dev.parapet.webhook.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

class ServiceNodePortRuleTest {
  static final String ID = "service-nodeport";

  static Service service(String type) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace("prod")
        .endMetadata()
        .withNewSpec()
        .withType(type)
        .addNewPort()
        .withPort(80)
        .endPort()
        .endSpec()
        .build();
  }

  @Test
  void reportsNodePortServices() {
    var v = evaluate(service("NodePort"), policy("forbidNodePort: true"), ID);
    assertThat(v).extracting(x -> x.fieldPath()).containsExactly("spec.type");
  }

  @Test
  void passesOtherTypesAndWhenAllowed() {
    assertThat(evaluate(service("ClusterIP"), policy(""), ID)).isEmpty();
    assertThat(evaluate(service(null), policy(""), ID)).isEmpty();
    assertThat(evaluate(service("NodePort"), policy("forbidNodePort: false"), ID)).isEmpty();
  }
}
