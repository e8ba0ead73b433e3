package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parapet.webhook.policy.PolicyFile;
import dev.parapet.webhook.policy.PolicySet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The status of a denial, as the API server turns it into the error kubectl prints: with code 403
 * and reason Forbidden kubectl prints "Error from server (Forbidden): ..."; without the reason it
 * prints "Error from server: ..." (seen on a real kube-apiserver, see WebhookOnRealServerTest).
 */
class DenyStatusTest {
  private static final Path FIXTURES = Path.of("src/test/resources/admission");

  @Test
  void aDenialCarriesCode403AndReasonForbidden() throws Exception {
    var policies = PolicySet.of(PolicyFile.load(FIXTURES.resolve("policies.yaml")));
    var handler =
        new AdmissionHandler(
            () -> policies,
            ns -> Map.of("kubernetes.io/metadata.name", ns),
            "parapet-system",
            1 << 20,
            (kind, decision, counted, nanos) -> {},
            Clock.systemUTC());
    var result = handler.validate(Files.readAllBytes(FIXTURES.resolve("pod/denied.json")));
    assertThat(result.status()).isEqualTo(200);
    var response = new ObjectMapper().readTree(result.body()).path("response");
    assertThat(response.path("allowed").asBoolean()).as(response.toString()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
    assertThat(response.path("status").path("reason").asText()).isEqualTo("Forbidden");
    assertThat(response.path("status").path("message").asText()).isNotBlank();
  }
}
