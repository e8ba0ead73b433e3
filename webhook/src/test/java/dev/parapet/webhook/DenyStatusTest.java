package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The status of a denial, as the API server turns it into the error kubectl prints: with code 403
 * and reason Forbidden kubectl prints "Error from server (Forbidden): ..."; without the reason it
 * prints "Error from server: ..." (seen on a real kube-apiserver, see WebhookOnRealServerTest).
 */
class DenyStatusTest {

  @Test
  void aDenialCarriesCode403AndReasonForbidden() throws Exception {
    var handler = new AdmissionHandlerTest().handler(AdmissionHandlerTest::fixturePolicies);
    var review = Files.readAllBytes(AdmissionHandlerTest.FIXTURES.resolve("pod/denied.json"));
    var response = AdmissionHandlerTest.response(handler.validate(review));
    assertThat(response.path("allowed").asBoolean()).as(response.toString()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
    assertThat(response.path("status").path("reason").asText()).isEqualTo("Forbidden");
    assertThat(response.path("status").path("message").asText()).isNotBlank();
  }
}
