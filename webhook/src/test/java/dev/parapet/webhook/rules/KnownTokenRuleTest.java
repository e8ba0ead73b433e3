package dev.parapet.webhook.rules;

import static dev.parapet.webhook.Fixtures.container;
import static dev.parapet.webhook.Fixtures.evaluate;
import static dev.parapet.webhook.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.webhook.Fixtures;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class KnownTokenRuleTest {
  static final String ID = "credential-token";
  static final String GH = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d";
  static final String STRIPE = "sk_live_NhFdnXsiVpzz63FfkCzJr4i0";

  @Test
  void reportsTokensInArgsEnvAndTemplateAnnotations() {
    var c =
        new ContainerBuilder(container("bot"))
            .withArgs("--token=" + GH)
            .addNewEnv()
            .withName("PAYMENTS")
            .withValue(STRIPE)
            .endEnv()
            .build();
    var d = Fixtures.deployment(c);
    d.getSpec().getTemplate().setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    d.getSpec()
        .getTemplate()
        .getMetadata()
        .setAnnotations(java.util.Map.of("ci/token", "glpat-ORS_6ilI8ihN5KXSc7Tv"));
    var v = evaluate(d, policy(""), ID);
    assertThat(v)
        .extracting(x -> x.fieldPath())
        .containsExactlyInAnyOrder(
            "spec.template.spec.containers[0].args[0]",
            "spec.template.spec.containers[0].env[0].value",
            "spec.template.metadata.annotations['ci/token']");
    assertThat(v).allSatisfy(x -> assertThat(x.message()).doesNotContain(GH, STRIPE));
  }

  @Test
  void ignoresPlaceholdersAndDisabledDetectors() {
    var c =
        new ContainerBuilder(container("bot"))
            .withArgs("--token=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
            .build();
    assertThat(evaluate(Fixtures.pod(c), policy(""), ID)).isEmpty();
    var real =
        new PodBuilder(Fixtures.pod(new ContainerBuilder(container("bot")).withArgs(GH).build()))
            .build();
    assertThat(evaluate(real, policy("credentials:\n  detectors: [jwt]"), ID)).isEmpty();
    assertThat(evaluate(real, policy("rules:\n  exclude: [credential-token]"), ID)).isEmpty();
  }
}
