package dev.parapet.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * Replays every AdmissionReview fixture (to /validate and /validate-noop, with and without a
 * content type) while capturing every log record of the application, then scrapes the metrics, and
 * asserts that no response body, log line or metric contains any fixture secret.
 */
@QuarkusTest
class RedactionTest {
  static final Path FIXTURES = Path.of("src/test/resources/admission");

  static List<String> secrets() throws IOException {
    return Files.readAllLines(FIXTURES.resolve("secrets.txt")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .toList();
  }

  static List<Path> fixtures() throws IOException {
    try (var files = Files.walk(FIXTURES)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** Captures every record the JBoss log manager publishes, formatted, with stack traces. */
  static final class Capture extends Handler {
    final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    @Override
    public void publish(LogRecord r) {
      var msg = r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage();
      var sb = new StringBuilder(r.getLoggerName() + " " + msg);
      if (r.getThrown() != null) {
        var sw = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(sw));
        sb.append('\n').append(sw);
      }
      lines.add(sb.toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void noSecretEverLeavesInResponsesLogsOrMetrics() throws IOException {
    var secrets = secrets();
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(5);
    var requests = new StringBuilder();
    for (var f : fixtures()) {
      requests.append(Files.readString(f));
    }
    // Non-vacuous: every listed secret is really sent (the PEM line inside JSON-escaped text).
    for (var s : secrets) {
      assertThat(requests.toString().replace("\\n", "\n")).contains(s);
    }

    var capture = new Capture();
    capture.setLevel(Level.ALL);
    var root = org.jboss.logmanager.LogManager.getLogManager().getLogger("");
    root.addHandler(capture);
    var bodies = new ArrayList<String>();
    try {
      for (var f : fixtures()) {
        var bytes = Files.readAllBytes(f);
        for (var path : List.of("/validate", "/validate-noop")) {
          bodies.add(given().contentType("application/json").body(bytes).post(path).asString());
          bodies.add(given().body(bytes).post(path).asString());
        }
      }
    } finally {
      root.removeHandler(capture);
    }
    var metrics = given().get("/q/metrics").asString();

    assertThat(bodies).anyMatch(b -> b.contains("\"allowed\":false"));
    assertThat(capture.lines).anyMatch(l -> l.contains("admission denied"));
    assertThat(metrics).contains("parapet_webhook_rule_decisions_total");
    for (var s : secrets) {
      assertThat(bodies).noneMatch(b -> b.contains(s));
      assertThat(capture.lines).noneMatch(l -> l.contains(s));
      assertThat(metrics).doesNotContain(s);
      var escaped = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      assertThat(bodies).noneMatch(b -> b.contains(escaped.replace("/", "\\/")));
    }
  }

  /**
   * Values the handler quotes in a reason (apiVersion, kind, field names of a mapping error) pass
   * through the credential detectors first. The tokens are fixture fakes that the detector tests
   * already use as positives; each fits the short-token shape that used to be echoed verbatim.
   */
  @Test
  void credentialsInEchoedValuesAreRedactedInResponsesAndLogs() throws IOException {
    var github = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d";
    var gitlab = "glpat-ORS_6ilI8ihN5KXSc7Tv";
    var keyId = "AKIAQSAJ2XUID5ZZZZG6";
    var secretKey = "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";
    var json = new com.fasterxml.jackson.databind.ObjectMapper();

    var capture = new Capture();
    capture.setLevel(Level.ALL);
    var root = org.jboss.logmanager.LogManager.getLogManager().getLogger("");
    root.addHandler(capture);
    var bodies = new ArrayList<String>();
    try {
      for (var apiVersion : List.of(github, secretKey)) {
        var review = json.createObjectNode().put("apiVersion", apiVersion);
        review.put("kind", "AdmissionReview");
        bodies.add(
            given()
                .contentType("application/json")
                .body(json.writeValueAsBytes(review))
                .post("/validate")
                .then()
                .statusCode(400)
                .body(
                    "message",
                    org.hamcrest.Matchers.equalTo(
                        "unsupported apiVersion (redacted) (expected admission.k8s.io/v1)"))
                .extract()
                .asString());
      }
      var wrongKind =
          json.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", gitlab);
      bodies.add(
          given()
              .contentType("application/json")
              .body(json.writeValueAsBytes(wrongKind))
              .post("/validate")
              .then()
              .statusCode(400)
              .body(
                  "message",
                  org.hamcrest.Matchers.equalTo("kind (redacted) is not AdmissionReview"))
              .extract()
              .asString());
      // A ConfigMap data key holding a key id, whose value is an object: a mapping error at it.
      var review =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              json.readTree(FIXTURES.resolve("configmap/denied.json").toFile());
      var object =
          (com.fasterxml.jackson.databind.node.ObjectNode) review.path("request").path("object");
      object.remove("binaryData");
      object.putObject("data").putObject(keyId).put("x", 1);
      bodies.add(
          given()
              .contentType("application/json")
              .body(json.writeValueAsBytes(review))
              .post("/validate")
              .then()
              .statusCode(200)
              .body("response.allowed", org.hamcrest.Matchers.equalTo(false))
              .body(
                  "response.status.message",
                  org.hamcrest.Matchers.equalTo(
                      "Parapet could not check this object: request.object is not a valid"
                          + " ConfigMap at data.(redacted)"))
              .extract()
              .asString());
      // Control: a harmless value is still quoted, so the redaction is not blanket.
      var harmless = json.createObjectNode().put("apiVersion", "v1beta9");
      harmless.put("kind", "AdmissionReview");
      given()
          .contentType("application/json")
          .body(json.writeValueAsBytes(harmless))
          .post("/validate")
          .then()
          .statusCode(400)
          .body(
              "message",
              org.hamcrest.Matchers.equalTo(
                  "unsupported apiVersion \"v1beta9\" (expected admission.k8s.io/v1)"));
    } finally {
      root.removeHandler(capture);
    }
    assertThat(capture.lines).anyMatch(l -> l.contains("admission request rejected"));
    assertThat(capture.lines).anyMatch(l -> l.contains("data.(redacted)"));
    for (var s : List.of(github, gitlab, keyId, secretKey)) {
      assertThat(bodies).noneMatch(b -> b.contains(s) || b.contains(s.replace("/", "\\/")));
      assertThat(capture.lines).noneMatch(l -> l.contains(s));
    }
  }
}
