package dev.parapet.webhook.secrets;

import static dev.parapet.webhook.secrets.DetectorAssertions.assertNothing;
import static dev.parapet.webhook.secrets.DetectorAssertions.scan;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrivateKeyDetectorTest {
  final PrivateKeyDetector d = new PrivateKeyDetector();
  static final String BODY =
      "z/TddJ8HyS5SUkCnD8zRA9a9SkpXz9w3QlY7Zkuvqdt7s8Stqcbnr3yBdGBLEPH1\n"
          + "qhT61qtc4xatws8phP9nhFyJfm5di4PzJ59FHz5r1pY4OjE2jBMptUsGr7CmY+uC\n";

  @ParameterizedTest
  @ValueSource(strings = {"", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED "})
  void findsPemPrivateKeysAndNeverShowsTheBody(String type) {
    var pem =
        "-----BEGIN "
            + type
            + "PRIVATE KEY-----\n"
            + BODY
            + "-----END "
            + type
            + "PRIVATE KEY-----\n";
    var found = scan(d, "tls.key", pem, ScanHints.NONE);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).redacted())
        .isEqualTo("-----BEGIN " + type + "PRIVATE KEY----- (body redacted)")
        .doesNotContain("z/TddJ8H");
  }

  @org.junit.jupiter.api.Test
  void findsKeysWithEscapedNewlinesInEnvValues() {
    var pem =
        "-----BEGIN RSA PRIVATE KEY-----\\n"
            + BODY.replace("\n", "\\n")
            + "-----END RSA PRIVATE KEY-----";
    assertThat(scan(d, "KEY", pem, ScanHints.NONE)).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-----BEGIN PUBLIC KEY-----\nz/TddJ8HyS5SUkCnD8zRA9a9SkpXz9w3QlY7Zkuvqdt7s8Stqcbnr3yBdGBLEPH1\n-----END PUBLIC KEY-----",
        "-----BEGIN CERTIFICATE-----\nz/TddJ8HyS5SUkCnD8zRA9a9SkpXz9w3QlY7Zkuvqdt7s8Stqcbnr3yBdGBLEPH1\n-----END CERTIFICATE-----",
        "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----",
        "paste your -----BEGIN RSA PRIVATE KEY----- block into the Secret"
      })
  void ignoresPublicMaterialAndDocumentation(String text) {
    assertNothing(d, text);
  }
}
