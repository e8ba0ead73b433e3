package dev.parapet.operator.aws.export;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.parapet.core.Severity;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.collect.CredentialSource;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What moto cannot answer: FailedFindings, AccessDenied, Security Hub not enabled, throttling.
 * Canned Security Hub answers (restJson1, as AWS sends them) on a loopback WireMock.
 */
class SecurityHubExporterCannedTest {

  static final String IMPORT = "/findings/import";
  static final ObjectMapper JSON = new ObjectMapper();
  static WireMockServer hub;
  static AwsClientFactory clients;

  @BeforeAll
  static void start() {
    hub =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    hub.start();
    clients =
        new AwsClientFactory(
            ClientSettings.defaults()
                .withBackoff(Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(20)));
  }

  @AfterAll
  static void stop() {
    clients.close();
    hub.stop();
  }

  @BeforeEach
  void reset() {
    hub.resetAll();
  }

  static List<ExportedFinding> findings(int n) {
    var out = new ArrayList<ExportedFinding>();
    for (int i = 0; i < n; i++) {
      out.add(
          new ExportedFinding(
              "parapet/ns/f-" + i,
              "aws-ec2-sg-ssh-open",
              "SSH open",
              "evidence " + i,
              Severity.HIGH,
              List.of(),
              "AWS::EC2::SecurityGroup",
              "sg-" + i,
              null,
              "us-east-1",
              null,
              null,
              Instant.parse("2026-12-01T00:00:00Z"),
              ExportedFinding.Disposition.OPEN,
              null));
    }
    return out;
  }

  SecurityHubExporter.Result export(List<ExportedFinding> findings) {
    try (var session =
            clients.open(
                new CredentialSource.StaticKeys(
                    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null),
                URI.create(hub.baseUrl()),
                "us-east-1");
        var bound = session.bind()) {
      return SecurityHubExporter.export(
          session,
          new Asff.Target("123456789012", "us-east-1", "aws"),
          findings,
          Instant.parse("2026-12-07T08:00:00Z"));
    }
  }

  /** The Ids each BatchImportFindings request carried, in order. */
  List<List<String>> requestedIds() throws Exception {
    var out = new ArrayList<List<String>>();
    var events = new ArrayList<>(hub.getAllServeEvents());
    java.util.Collections.reverse(events); // oldest first
    for (var e : events) {
      JsonNode body = JSON.readTree(e.getRequest().getBodyAsString());
      var ids = new ArrayList<String>();
      body.get("Findings").forEach(f -> ids.add(f.get("Id").asText()));
      out.add(ids);
    }
    return out;
  }

  static String ok(int n) {
    return "{\"FailedCount\":0,\"SuccessCount\":" + n + ",\"FailedFindings\":[]}";
  }

  static String refused(int success, String... ids) {
    var failed = new StringBuilder();
    for (var id : ids) {
      if (failed.length() > 0) {
        failed.append(',');
      }
      failed
          .append("{\"Id\":\"")
          .append(id)
          .append("\",\"ErrorCode\":\"InvalidInput\",\"ErrorMessage\":\"Finding is malformed\"}");
    }
    return "{\"FailedCount\":"
        + ids.length
        + ",\"SuccessCount\":"
        + success
        + ",\"FailedFindings\":["
        + failed
        + "]}";
  }

  @Test
  void failedFindingsAreRetriedOnceAloneAndCountAsImportedWhenTheRetrySucceeds() throws Exception {
    hub.stubFor(
        post(urlEqualTo(IMPORT))
            .inScenario("retry")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(200).withBody(refused(2, "parapet/ns/f-1")))
            .willSetStateTo("retried"));
    hub.stubFor(
        post(urlEqualTo(IMPORT))
            .inScenario("retry")
            .whenScenarioStateIs("retried")
            .willReturn(aResponse().withStatus(200).withBody(ok(1))));

    var r = export(findings(3));

    assertThat(requestedIds())
        .containsExactly(
            List.of("parapet/ns/f-0", "parapet/ns/f-1", "parapet/ns/f-2"),
            List.of("parapet/ns/f-1"));
    assertThat(r.calls()).isEqualTo(2);
    assertThat(r.imported())
        .containsExactlyInAnyOrder("parapet/ns/f-0", "parapet/ns/f-1", "parapet/ns/f-2");
    assertThat(r.failed()).isEmpty();
    assertThat(r.complete()).isTrue();
  }

  @Test
  void findingsRefusedTwiceAreReportedNotRetriedAgain() throws Exception {
    hub.stubFor(
        post(urlEqualTo(IMPORT))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(refused(148, "parapet/ns/f-3", "parapet/ns/f-120"))));

    var r = export(findings(150));

    // 2 batches (100 + 50), then one retry of the two refused: no storm.
    assertThat(requestedIds()).hasSize(3);
    assertThat(requestedIds().get(0)).hasSize(100);
    assertThat(requestedIds().get(1)).hasSize(50);
    assertThat(requestedIds().get(2)).containsExactly("parapet/ns/f-3", "parapet/ns/f-120");
    assertThat(r.calls()).isEqualTo(3);
    assertThat(r.failed())
        .extracting(SecurityHubExporter.Failure::id, SecurityHubExporter.Failure::code)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("parapet/ns/f-3", "InvalidInput"),
            org.assertj.core.groups.Tuple.tuple("parapet/ns/f-120", "InvalidInput"));
    assertThat(r.imported()).hasSize(148).doesNotContain("parapet/ns/f-3", "parapet/ns/f-120");
    assertThat(r.notSent()).isEmpty();
    assertThat(r.problem()).isNull();
    assertThat(r.complete()).isFalse();
  }

  @Test
  void accessDeniedStopsTheExportAtOnceAndReportsEveryFindingAsNotSent() throws Exception {
    hub.stubFor(
        post(urlEqualTo(IMPORT))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("x-amzn-ErrorType", "AccessDeniedException")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"Code\":\"AccessDeniedException\",\"Message\":\"User:"
                            + " arn:aws:sts::123456789012:assumed-role/parapet-scan/x is not"
                            + " authorized to perform: securityhub:BatchImportFindings\"}")));

    var r = export(findings(250));

    assertThat(requestedIds()).as("no second batch after a denial, no retry").hasSize(1);
    assertThat(r.calls()).isEqualTo(1);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.imported()).isEmpty();
    assertThat(r.notSent()).hasSize(250);
    assertThat(r.problem().reason()).isEqualTo("AccessDenied");
    assertThat(r.problem().message())
        .contains("securityhub:BatchImportFindings")
        .contains("securityhub-export-policy.json")
        .doesNotContain("wJalrXUtnFEMI");
  }

  @Test
  void aRegionWithoutSecurityHubIsNamedAsSuch() throws Exception {
    hub.stubFor(
        post(urlEqualTo(IMPORT))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("x-amzn-ErrorType", "InvalidAccessException")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"Code\":\"InvalidAccessException\",\"Message\":\"Account 123456789012"
                            + " is not subscribed to AWS Security Hub\"}")));

    var r = export(findings(5));

    assertThat(r.problem().reason()).isEqualTo("SecurityHubNotEnabled");
    assertThat(r.problem().message())
        .contains("not enabled")
        .contains("us-east-1")
        .contains("InvalidAccessException")
        .doesNotContain("null");
    assertThat(r.notSent()).hasSize(5);
    assertThat(r.calls()).isEqualTo(1);
  }

  @Test
  void throttlingIsRetriedByTheSdkWithinOneCall() throws Exception {
    hub.stubFor(
        post(urlEqualTo(IMPORT))
            .inScenario("throttle")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("x-amzn-ErrorType", "TooManyRequestsException")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"Code\":\"TooManyRequestsException\",\"Message\":\"Rate exceeded\"}"))
            .willSetStateTo("calm"));
    hub.stubFor(
        post(urlEqualTo(IMPORT))
            .inScenario("throttle")
            .whenScenarioStateIs("calm")
            .willReturn(aResponse().withStatus(200).withBody(ok(2))));

    var r = export(findings(2));

    hub.verify(2, postRequestedFor(urlEqualTo(IMPORT)));
    assertThat(r.calls()).as("one logical call").isEqualTo(1);
    assertThat(r.attempts()).as("the SDK retried the throttled attempt").isEqualTo(2);
    assertThat(r.imported()).hasSize(2);
    assertThat(r.complete()).isTrue();
  }

  @Test
  void throttlingBeyondTheRetriesStopsTheExportAsThrottled() throws Exception {
    hub.stubFor(
        post(urlEqualTo(IMPORT))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("x-amzn-ErrorType", "TooManyRequestsException")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"Code\":\"TooManyRequestsException\",\"Message\":\"Rate exceeded\"}")));

    var r = export(findings(120));

    assertThat(r.problem().reason()).isEqualTo("Throttled");
    assertThat(r.calls()).as("the second batch is not attempted").isEqualTo(1);
    assertThat(r.attempts()).isEqualTo(ClientSettings.defaults().maxAttempts());
    assertThat(r.notSent()).hasSize(120);
  }
}
