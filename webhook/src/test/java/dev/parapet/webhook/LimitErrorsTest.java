package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every parser limit is named (depth, number length, field name length, size) with its location;
 * where the request's uid was read before the problem, the answer is an AdmissionReview that fails
 * closed under a policy that can deny.
 */
class LimitErrorsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  final AdmissionHandler handler =
      new AdmissionHandler(
          AdmissionHandlerTest::fixturePolicies,
          ns -> Map.of("kubernetes.io/metadata.name", ns),
          "parapet-system",
          4096,
          (kind, decision, counted, nanos) -> {},
          Clock.systemUTC());

  static final String HEAD =
      "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
          + "{\"uid\":\"u-1\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},";

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  JsonNode answer(String body, int status) throws Exception {
    var r = handler.validate(bytes(body));
    assertThat(r.status()).isEqualTo(status);
    return JSON.readTree(r.body());
  }

  @Test
  void depthWithoutAUidIsA400NamingTheLimitAndPlace() throws Exception {
    var body = "[".repeat(300) + "]".repeat(300);
    var a = answer(body, 400);
    assertThat(a.path("code").asInt()).isEqualTo(400);
    assertThat(a.path("message").asText())
        .isEqualTo("JSON nested deeper than 200 levels at line 1, column 202");
  }

  @Test
  void depthInsideTheObjectOfARequestInADenyNamespaceIsDeniedWithTheUid() throws Exception {
    var body =
        HEAD
            + "\"namespace\":\"prod\",\"operation\":\"CREATE\",\"object\":{\"a\":"
            + "[".repeat(300)
            + "]".repeat(300)
            + "}}}";
    var r = answer(body, 200).path("response");
    assertThat(r.path("uid").asText()).isEqualTo("u-1");
    assertThat(r.path("allowed").asBoolean()).isFalse();
    assertThat(r.path("status").path("code").asInt()).isEqualTo(400);
    assertThat(r.path("status").path("message").asText())
        .startsWith(
            "Parapet could not check this object: JSON nested deeper than 200 levels at line 1,");
  }

  @Test
  void inAnAuditNamespaceItIsAllowedWithTheReasonAsAWarning() throws Exception {
    var body =
        HEAD
            + "\"namespace\":\"sandbox\",\"operation\":\"CREATE\",\"object\":{\"a\":"
            + "1".repeat(100)
            + "}}}";
    var r = answer(body, 200).path("response");
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(r.path("warnings").get(0).asText())
        .startsWith("Parapet could not check this object: JSON number longer than 64 characters");
  }

  @Test
  void aLongFieldNameIsNamed() throws Exception {
    var body = "{\"" + "n".repeat(60_000) + "\":1}";
    var big =
        new AdmissionHandler(
            AdmissionHandlerTest::fixturePolicies,
            ns -> Map.of(),
            "parapet-system",
            1 << 20,
            (kind, decision, counted, nanos) -> {},
            Clock.systemUTC());
    var r = big.validate(bytes(body));
    assertThat(r.status()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("message").asText())
        .startsWith("JSON field name longer than 50000 characters at line 1");
  }

  @Test
  void oversizeWithAReadableUidIsAnAdmissionReviewAnsweredWith413() throws Exception {
    var body =
        HEAD
            + "\"namespace\":\"prod\",\"operation\":\"CREATE\",\"object\":{\"a\":\""
            + "x".repeat(5000)
            + "\"}}}";
    var r = answer(body, 200).path("response");
    assertThat(r.path("uid").asText()).isEqualTo("u-1");
    assertThat(r.path("allowed").asBoolean()).isFalse();
    assertThat(r.path("status").path("code").asInt()).isEqualTo(413);
    assertThat(r.path("status").path("message").asText())
        .isEqualTo(
            "Parapet could not check this object: request of "
                + bytes(body).length
                + " bytes exceeds the limit of 4096 bytes (parapet.webhook.max-request-bytes)");
  }

  @Test
  void oversizeWithoutAUidIsA413WithTheJsonBody() throws Exception {
    var a = answer(" ".repeat(5000), 413);
    assertThat(a.path("code").asInt()).isEqualTo(413);
    assertThat(a.path("message").asText())
        .isEqualTo(
            "request of 5000 bytes exceeds the limit of 4096 bytes"
                + " (parapet.webhook.max-request-bytes)");
  }

  @Test
  void theUidIsOnlyReadFromAnAdmissionReviewV1() throws Exception {
    var body =
        "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\","
            + "\"request\":{\"uid\":\"u-1\",\"object\":"
            + "[".repeat(300);
    assertThat(answer(body, 400).path("message").asText()).startsWith("JSON nested deeper");
  }

  @Test
  void contentTypesOtherThanJsonAreRefusedWith415() {
    var limits = new RequestLimits(PolicyStoreTestConfig.config(1000), null);
    assertThat(limits.reject("application/json", 10)).isNull();
    assertThat(limits.reject("application/json; charset=utf-8", 10)).isNull();
    assertThat(limits.reject(null, 10)).isNull();
    assertThat(limits.reject("text/plain", 10).status()).isEqualTo(415);
    assertThat(limits.reject("application/x-www-form-urlencoded", 10).message())
        .isEqualTo(
            "Content-Type \"application/x-www-form-urlencoded\" is not supported: send"
                + " application/json");
    assertThat(limits.reject("application/json", 1001).status()).isEqualTo(413);
  }
}
