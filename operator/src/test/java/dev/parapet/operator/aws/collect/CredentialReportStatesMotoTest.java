package dev.parapet.operator.aws.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The credential report's "in progress" and "expired" answers. moto gap: moto generates reports
 * instantly and never answers ReportInProgress (404) or ReportExpired (410), so WireMock in front
 * of moto answers those for GetCredentialReport only; every other call, and the final report, come
 * from moto.
 */
class CredentialReportStatesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  private WireMockServer proxy;
  private AwsClientFactory factory;

  @BeforeEach
  void start() {
    var moto = MOTO.server();
    try (var iam = new AwsSeed(moto).iam()) {
      iam.createUser(b -> b.userName("report-user"));
      iam.generateCredentialReport();
    }
    proxy = MotoProxy.recording(moto);
    factory = new AwsClientFactory(MotoScans.testSettings());
  }

  @AfterEach
  void stop() {
    factory.close();
    proxy.stop();
    try (var iam = new AwsSeed(MOTO.server()).iam()) {
      iam.deleteUser(b -> b.userName("report-user"));
    }
  }

  private AwsSession session() {
    return factory.open(
        MOTO.server().credentials(), URI.create(proxy.baseUrl()), MotoServer.REGION);
  }

  private void answerFirst(String code, int status) {
    proxy.stubFor(
        post(anyUrl())
            .withRequestBody(containing("Action=GetCredentialReport"))
            .inScenario("report")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("answered")
            .atPriority(1)
            .willReturn(iamError(code, status)));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder iamError(
      String code, int status) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "text/xml")
        .withBody(
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>"
                + "<Type>Sender</Type><Code>"
                + code
                + "</Code><Message>stubbed</Message></Error><RequestId>stub</RequestId>"
                + "</ErrorResponse>");
  }

  @Test
  void inProgressIsPolledUntilTheReportIsReady() {
    answerFirst("ReportInProgress", 404);
    try (var session = session()) {
      var report =
          IamCollector.credentialReport(
              session.client(IamClient.class), Duration.ofSeconds(5), Duration.ofMillis(50));
      assertThat(report.users()).extracting(u -> u.user()).contains("report-user");
      assertThat(session.counter().calls())
          .containsEntry("iam:GetCredentialReport", 2L)
          .doesNotContainKey("iam:GenerateCredentialReport");
    }
  }

  @Test
  void expiredReportIsRegeneratedOnce() {
    answerFirst("ReportExpired", 410);
    try (var session = session()) {
      var report =
          IamCollector.credentialReport(
              session.client(IamClient.class), Duration.ofSeconds(5), Duration.ofMillis(50));
      assertThat(report.users()).extracting(u -> u.user()).contains("report-user");
      assertThat(session.counter().calls())
          .containsEntry("iam:GetCredentialReport", 2L)
          .containsEntry("iam:GenerateCredentialReport", 1L);
    }
  }

  @Test
  void aReportThatNeverBecomesReadyIsATimeoutNotAResult() {
    proxy.stubFor(
        post(anyUrl())
            .withRequestBody(containing("Action=GetCredentialReport"))
            .atPriority(1)
            .willReturn(iamError("ReportInProgress", 404)));
    try (var session = session()) {
      assertThatThrownBy(
              () ->
                  IamCollector.credentialReport(
                      session.client(IamClient.class),
                      Duration.ofMillis(300),
                      Duration.ofMillis(50)))
          .isInstanceOf(ApiCallTimeoutException.class)
          .satisfies(e -> assertThat(Failures.reason(e)).isEqualTo(UnknownReason.Timeout));
    }
  }
}
