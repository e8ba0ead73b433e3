package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.webhook.secrets.Shown;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile sizes produce bounded output: quoted names are cut, a value packed with credentials gives
 * a short message and log line, and the metrics still count every violation.
 */
class BoundedOutputTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final List<List<Violation>> counted = new ArrayList<>();

  AdmissionHandler handler() {
    return new AdmissionHandler(
        AdmissionHandlerTest::fixturePolicies,
        ns -> Map.of("kubernetes.io/metadata.name", ns),
        "parapet-system",
        8 << 20,
        (kind, decision, c, nanos) -> counted.add(c),
        Clock.systemUTC());
  }

  static byte[] pod(String envName, String envValue) throws Exception {
    var review =
        (ObjectNode)
            JSON.readTree(
                Files.readAllBytes(AdmissionHandlerTest.FIXTURES.resolve("pod/allowed.json")));
    var container =
        (ObjectNode) review.get("request").get("object").get("spec").get("containers").get(0);
    container.putArray("env").addObject().put("name", envName).put("value", envValue);
    return JSON.writeValueAsBytes(review);
  }

  /** Distinct random access key ids (fake: random base32), space separated. */
  static String keyIds(int bytes) {
    var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    var r = new Random(13);
    var sb = new StringBuilder(bytes + 32);
    while (sb.length() < bytes) {
      sb.append("AKIA");
      for (int i = 0; i < 16; i++) {
        sb.append(alphabet.charAt(r.nextInt(32)));
      }
      sb.append(' ');
    }
    return sb.toString();
  }

  @Test
  void aLongNameIsCutAndControlCharsAreReplaced() {
    assertThat(Shown.name("DB_PASSWORD")).isEqualTo("DB_PASSWORD");
    assertThat(Shown.name("A\nB")).isEqualTo("A?B");
    var shown = Shown.name("N".repeat(2_500_000));
    assertThat(shown).isEqualTo("N".repeat(64) + "…(+2499936 chars)");
  }

  @Test
  void aNameHoldingACredentialIsRedactedEvenWhenCutThroughIt() {
    // AWS's documented example secret key is allowlisted; this one is made up for the test.
    var secret = "q8Zp3Lr7Xw2Nv5Kt9Hs4Jd6Fg1Bm0Cy7Ua3Ee5Ri";
    assertThat(Shown.name("X_" + secret)).isEqualTo("(redacted name)");
    assertThat(Shown.name("N".repeat(50) + "-" + secret + "-" + "N".repeat(1000)))
        .isEqualTo("(redacted name)");
    assertThat(Shown.name("ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5" + "-tail"))
        .isEqualTo("(redacted name)");
  }

  @Test
  void aHugeEnvNameIsQuotedShortInTheDenyMessage() throws Exception {
    var name = "X".repeat(2_000_000) + "_PASSWORD";
    var r = handler().validate(pod(name, "s3cr3t-Value-9"));
    var res = JSON.readTree(r.body()).path("response");
    assertThat(res.path("allowed").asBoolean()).isFalse();
    var message = res.path("status").path("message").asText();
    assertThat(message).contains("env " + "X".repeat(64) + "…(+1999945 chars)");
    assertThat(message.length()).isLessThan(1024);
    assertThat(r.body().length).isLessThan(2048);
  }

  @Test
  void aValuePackedWithKeyIdsGivesAShortMessageAndLogLineButCountsThemAll() throws Exception {
    var r = handler().validate(pod("CONFIG", keyIds(2_500_000)));
    var res = JSON.readTree(r.body()).path("response");
    assertThat(res.path("allowed").asBoolean()).isFalse();
    var violations = counted.get(0);
    assertThat(violations).hasSizeGreaterThan(119_000);
    assertThat(res.path("status").path("message").asText())
        .endsWith("; and " + (violations.size() - 5) + " more violation(s)");
    assertThat(r.body().length).isLessThan(4096);
    var line = AdmissionHandler.logSummary(violations);
    assertThat(line.length()).isLessThanOrEqualTo(AdmissionHandler.MAX_LOG_CHARS);
    assertThat(line).endsWith(" more violation(s)").doesNotContain("AKIA" + "ABCD");
  }

  @Test
  void oneHugeMessageIsCutInTheLog() {
    var v =
        new Violation(
            dev.parapet.webhook.rules.HostNetworkRule.METADATA,
            dev.parapet.api.v1alpha1.Enforcement.DENY,
            "p",
            "Pod",
            "ns",
            "n".repeat(100_000),
            null,
            "spec",
            "k",
            "d",
            null);
    var line = AdmissionHandler.logSummary(List.of(v, v));
    assertThat(line.length()).isLessThanOrEqualTo(AdmissionHandler.MAX_LOG_CHARS);
    assertThat(line).endsWith("… | and 1 more violation(s)");
  }
}
