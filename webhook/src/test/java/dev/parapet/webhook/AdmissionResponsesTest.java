package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every message an admission response carries (deny status, warnings, the reason of an object that
 * could not be checked, the error body) passes through the one redactor, even when the text handed
 * over still holds a credential.
 */
class AdmissionResponsesTest {
  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String RAW = "holds " + KEY_ID + " and secret_access_key=" + SECRET;

  static JsonNode json(AdmissionHandler.Result r) throws Exception {
    return RequestParser.MAPPER.readTree(r.body());
  }

  @Test
  void denyMessagesAndWarningsAreRedacted() throws Exception {
    var outcome =
        new AdmissionDecision.Outcome(
            "denied", List.of(RAW, RAW), List.of(RAW), List.of(), List.of());
    var r = AdmissionResponses.decided("u-1", "Pod", outcome);
    var body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(body).doesNotContain(KEY_ID).doesNotContain(SECRET);
    var response = json(r).path("response");
    assertThat(response.path("allowed").asBoolean(true)).isFalse();
    assertThat(response.at("/status/message").asText())
        .isEqualTo(
            "holds AKIA************MPLE and secret_access_key=***; holds AKIA************MPLE"
                + " and secret_access_key=***");
    assertThat(response.at("/warnings/0").asText())
        .isEqualTo("holds AKIA************MPLE and secret_access_key=***");
  }

  @Test
  void uncheckedReasonsAndErrorsAreRedacted() throws Exception {
    for (var what : AdmissionDecision.Unevaluated.values()) {
      var r = AdmissionResponses.unevaluated("u-1", "Pod", what, 400, RAW);
      assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
          .doesNotContain(KEY_ID)
          .doesNotContain(SECRET);
    }
    var deny =
        AdmissionResponses.unevaluated("u-1", "Pod", AdmissionDecision.Unevaluated.DENY, 400, RAW);
    assertThat(json(deny).at("/response/status/message").asText())
        .isEqualTo(
            "Parapet could not check this object: holds AKIA************MPLE and"
                + " secret_access_key=***");
    var error = AdmissionResponses.error(400, RAW);
    assertThat(json(error).path("message").asText())
        .isEqualTo("holds AKIA************MPLE and secret_access_key=***");
    assertThat(error.status()).isEqualTo(400);
  }
}
