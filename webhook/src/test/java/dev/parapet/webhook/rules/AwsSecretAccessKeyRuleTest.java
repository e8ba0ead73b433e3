package dev.parapet.webhook.rules;

import static dev.parapet.webhook.Fixtures.container;
import static dev.parapet.webhook.Fixtures.evaluate;
import static dev.parapet.webhook.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.webhook.Fixtures;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import org.junit.jupiter.api.Test;

class AwsSecretAccessKeyRuleTest {
  static final String ID = "aws-secret-access-key";
  static final String KEY = "AKIAQSAJ2XUID5ZZZZG6";
  static final String SECRET = "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";

  @Test
  void reportsASecretKeyUnderItsNameAndPairsItWithTheKeyId() {
    var c =
        new ContainerBuilder(container("app"))
            .addNewEnv()
            .withName("AWS_ACCESS_KEY_ID")
            .withValue(KEY)
            .endEnv()
            .addNewEnv()
            .withName("AWS_SECRET_ACCESS_KEY")
            .withValue(SECRET)
            .endEnv()
            .build();
    var v = evaluate(Fixtures.deployment(c), policy(""), ID);
    assertThat(v).hasSize(1);
    assertThat(v.get(0).detail())
        .isEqualTo(
            "container \"app\" (spec.template.spec.containers[0].env[1].value) env"
                + " AWS_SECRET_ACCESS_KEY holds a literal AWS secret access key (40-char secret"
                + " redacted) paired with AKIA************ZZG6");
    assertThat(v.get(0).message()).doesNotContain(SECRET).doesNotContain(KEY);
  }

  @Test
  void reportsAnUnnamedSecretWhenAKeyIdSitsInTheSameContainer() {
    var c =
        new ContainerBuilder(container("app"))
            .withArgs("--id", KEY, "--secret-value", SECRET)
            .build();
    assertThat(evaluate(Fixtures.pod(c), policy(""), ID)).hasSize(1);
  }

  @Test
  void ignoresA40CharValueWithoutContextAndTheExampleSecret() {
    var noContext =
        new ContainerBuilder(container("app"))
            .addNewEnv()
            .withName("BUILD_DIGEST")
            .withValue(SECRET)
            .endEnv()
            .build();
    assertThat(evaluate(Fixtures.pod(noContext), policy(""), ID)).isEmpty();
    var example =
        new ContainerBuilder(container("app"))
            .addNewEnv()
            .withName("AWS_SECRET_ACCESS_KEY")
            .withValue("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
            .endEnv()
            .build();
    assertThat(evaluate(Fixtures.pod(example), policy(""))).isEmpty();
  }
}
