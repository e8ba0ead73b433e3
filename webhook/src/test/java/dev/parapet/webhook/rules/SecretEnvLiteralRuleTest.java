package dev.parapet.webhook.rules;

import static dev.parapet.webhook.Fixtures.container;
import static dev.parapet.webhook.Fixtures.evaluate;
import static dev.parapet.webhook.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.webhook.Fixtures;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretEnvLiteralRuleTest {
  static final String ID = "env-secret-literal";

  static io.fabric8.kubernetes.api.model.Pod env(String name, String value) {
    return Fixtures.pod(
        new ContainerBuilder(container("app"))
            .addNewEnv()
            .withName(name)
            .withValue(value)
            .endEnv()
            .build());
  }

  @Test
  void reportsALiteralUnderASecretishNameWithoutShowingIt() {
    var v = evaluate(env("DB_PASSWORD", "s3cr3t-Passw0rd"), policy(""), ID);
    assertThat(v).hasSize(1);
    assertThat(v.get(0).detail())
        .isEqualTo(
            "container \"app\" (spec.containers[0].env[0].value) env DB_PASSWORD holds a literal"
                + " value (15 chars redacted)");
  }

  @ParameterizedTest
  @CsvSource({
    "DB_PASSWORD,''",
    "DB_PASSWORD,changeme",
    "DB_PASSWORD,<your-password>",
    "DB_PASSWORD,$(DB_PASSWORD_FROM_SECRET)",
    "DB_PASSWORD,${DB_PASSWORD}",
    "API_TOKEN,xxx",
    "SESSION_TOKEN_LIFETIME,3600",
    "DB_PASSWORD_FILE,/etc/db/password",
    "TOKEN_PATH,/var/run/secrets/token",
    "OAUTH_TOKEN_URL,https://auth.example.com/token",
    "LOG_LEVEL,supersecretvalue",
    "SECRET_ENABLED,true"
  })
  void deliberatelyIgnores(String name, String value) {
    assertThat(evaluate(env(name, value), policy(""), ID)).isEmpty();
  }

  @Test
  void leavesValuesASpecificDetectorReportedToThatRule() {
    var pod = env("GITHUB_TOKEN", "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d");
    assertThat(evaluate(pod, policy(""), ID)).isEmpty();
    assertThat(evaluate(pod, policy(""), "credential-token")).hasSize(1);
  }

  @Test
  void ignoresSecretKeyRefsAndCanBeTurnedOff() {
    var ref =
        Fixtures.pod(
            new ContainerBuilder(container("app"))
                .addNewEnv()
                .withName("DB_PASSWORD")
                .withNewValueFrom()
                .withNewSecretKeyRef("password", "db", false)
                .endValueFrom()
                .endEnv()
                .build());
    assertThat(evaluate(ref, policy(""), ID)).isEmpty();
    assertThat(
            evaluate(
                env("DB_PASSWORD", "s3cr3t-Passw0rd"),
                policy("credentials:\n  detectors: [aws-access-key-id]"),
                ID))
        .isEmpty();
  }
}
