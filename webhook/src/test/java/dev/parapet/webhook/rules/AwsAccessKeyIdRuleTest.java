package dev.parapet.webhook.rules;

import static dev.parapet.webhook.Fixtures.container;
import static dev.parapet.webhook.Fixtures.evaluate;
import static dev.parapet.webhook.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.webhook.Fixtures;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class AwsAccessKeyIdRuleTest {
  static final String ID = "aws-access-key-id";
  static final String KEY = "AKIAQSAJ2XUID5ZZZZG6";

  @Test
  void reportsKeyIdsInEnvArgsCommandAndAnnotations() {
    var c =
        new ContainerBuilder(container("app"))
            .addNewEnv()
            .withName("AWS_ACCESS_KEY_ID")
            .withValue(KEY)
            .endEnv()
            .withArgs("--key", KEY)
            .withCommand("/bin/app", "--id=" + KEY)
            .build();
    var pod =
        new PodBuilder(Fixtures.pod(c))
            .editMetadata()
            .addToAnnotations("backup/key", KEY)
            .endMetadata()
            .build();
    var v = evaluate(pod, policy(""), ID);
    assertThat(v)
        .extracting(x -> x.fieldPath())
        .containsExactlyInAnyOrder(
            "spec.containers[0].env[0].value",
            "spec.containers[0].args[1]",
            "spec.containers[0].command[1]",
            "metadata.annotations['backup/key']");
    assertThat(v)
        .allSatisfy(
            x -> assertThat(x.message()).doesNotContain(KEY).contains("AKIA************ZZG6"));
  }

  @Test
  void ignoresExampleKeysAndLocationsThePolicyDoesNotScan() {
    var example =
        new ContainerBuilder(container("app"))
            .addNewEnv()
            .withName("AWS_ACCESS_KEY_ID")
            .withValue("AKIAIOSFODNN7EXAMPLE")
            .endEnv()
            .build();
    assertThat(evaluate(Fixtures.pod(example), policy(""), ID)).isEmpty();
    var real = new ContainerBuilder(container("app")).withArgs(KEY).build();
    assertThat(evaluate(Fixtures.pod(real), policy("credentials:\n  scan: [env]"), ID)).isEmpty();
    assertThat(
            evaluate(Fixtures.pod(real), policy("credentials:\n  detectors: [github-token]"), ID))
        .isEmpty();
  }

  @Test
  void ignoresTheLastAppliedAnnotationWhichMirrorsTheSpec() {
    var pod =
        new PodBuilder(Fixtures.pod(container("app")))
            .editMetadata()
            .addToAnnotations(
                "kubectl.kubernetes.io/last-applied-configuration", "{\"env\":\"" + KEY + "\"}")
            .endMetadata()
            .build();
    assertThat(evaluate(pod, policy(""), ID)).isEmpty();
  }
}
