package dev.parapet.webhook.rules;

import static dev.parapet.webhook.Fixtures.configMap;
import static dev.parapet.webhook.Fixtures.evaluate;
import static dev.parapet.webhook.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMapCredentialsRuleTest {
  static final String ID = "configmap-credentials";
  static final String KEY = "AKIAQSAJ2XUID5ZZZZG6";
  static final String SECRET = "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";
  static final String FILE =
      "[default]\naws_access_key_id = " + KEY + "\naws_secret_access_key = " + SECRET + "\n";

  @Test
  void reportsCredentialsInData() {
    var v = evaluate(configMap(Map.of("credentials", FILE), Map.of()), policy(""), ID);
    assertThat(v)
        .extracting(x -> x.detail())
        .containsExactlyInAnyOrder(
            "key \"credentials\" (data['credentials']) holds a literal AWS access key id"
                + " AKIA************ZZG6",
            "key \"credentials\" (data['credentials']) holds a literal AWS secret access key"
                + " (40-char secret redacted) paired with AKIA************ZZG6");
  }

  @Test
  void decodesBinaryData() {
    var b64 = Base64.getEncoder().encodeToString(FILE.getBytes(StandardCharsets.UTF_8));
    var v = evaluate(configMap(Map.of(), Map.of("creds.bin", b64)), policy(""), ID);
    assertThat(v).extracting(x -> x.fieldPath()).containsOnly("binaryData['creds.bin']");
    assertThat(v).hasSize(2);
  }

  @Test
  void passesOrdinaryConfigExampleKeysAndUnscannedConfigMaps() {
    var example =
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
            + "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
            + "commit = 5e99dc3fbea182c93ebdcb916b0552b50d6b64ad\n";
    assertThat(evaluate(configMap(Map.of("app.ini", example), Map.of()), policy(""), ID)).isEmpty();
    assertThat(
            evaluate(configMap(Map.of("a", "b"), Map.of("bin", "not base64 !!")), policy(""), ID))
        .isEmpty();
    assertThat(
            evaluate(
                configMap(Map.of("credentials", FILE), Map.of()),
                policy("credentials:\n  scan: [env, args]"),
                ID))
        .isEmpty();
  }
}
