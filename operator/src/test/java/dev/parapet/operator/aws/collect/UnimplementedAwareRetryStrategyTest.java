package dev.parapet.operator.aws.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.parapet.testing.MotoScans;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Retries on canned answers (loopback only): an API the endpoint does not implement (HTTP 500 with
 * an HTML page, no AWS error code) is asked once; AWS's own 500 (with a code) and throttling keep
 * being retried up to the budget.
 */
class UnimplementedAwareRetryStrategyTest {
  private static final String EC2_ERROR =
      "<Response><Errors><Error><Code>%s</Code><Message>m</Message></Error></Errors>"
          + "<RequestID>r</RequestID></Response>";
  private static WireMockServer server;
  private static AwsClientFactory clients;
  private static AwsSession session;

  @BeforeAll
  static void start() {
    server =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    stub(
        "DescribeVolumes", 500, "text/html", "<html><body>500 Internal Server Error</body></html>");
    stub("DescribeVpcs", 500, "text/xml", EC2_ERROR.formatted("InternalError"));
    stub("DescribeFlowLogs", 503, "text/xml", EC2_ERROR.formatted("RequestLimitExceeded"));
    clients = new AwsClientFactory(MotoScans.testSettings());
    session =
        clients.open(
            new CredentialSource.StaticKeys("AKIAIOSFODNN7EXAMPLE", "fake-secret", null),
            URI.create("http://127.0.0.1:" + server.port()),
            "eu-west-1");
  }

  @AfterAll
  static void stop() {
    session.close();
    clients.close();
    server.stop();
  }

  private static void stub(String action, int status, String type, String body) {
    server.stubFor(
        post(anyUrl())
            .withRequestBody(matching("(?s).*Action=" + action + "(&.*)?"))
            .willReturn(
                aResponse().withStatus(status).withHeader("Content-Type", type).withBody(body)));
  }

  private static int calls(String action) {
    return server
        .findAll(
            postRequestedFor(anyUrl())
                .withRequestBody(matching("(?s).*Action=" + action + "(&.*)?")))
        .size();
  }

  @Test
  void anUnimplementedApiIsAskedOnceAndClassifiedAsSuch() {
    var ec2 = session.client(Ec2Client.class, "eu-west-1");
    assertThatThrownBy(() -> ec2.describeVolumes(b -> {}))
        .isInstanceOfSatisfying(
            AwsServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(500);
              assertThat(UnimplementedAwareRetryStrategy.unimplemented(e)).isTrue();
              assertThat(Failures.classify(e, "ec2", "eu-west-1", "DescribeVolumes").message())
                  .contains("the endpoint may not implement this API");
            });
    assertThat(calls("DescribeVolumes")).isEqualTo(1);
  }

  @Test
  void awsInternalErrorsAndThrottlingAreStillRetriedToTheBudget() {
    var ec2 = session.client(Ec2Client.class, "eu-west-1");
    assertThatThrownBy(() -> ec2.describeVpcs(b -> {})).isInstanceOf(AwsServiceException.class);
    assertThat(calls("DescribeVpcs")).isEqualTo(MotoScans.testSettings().maxAttempts());
    assertThatThrownBy(() -> ec2.describeFlowLogs(b -> {}))
        .isInstanceOfSatisfying(
            AwsServiceException.class, e -> assertThat(e.isThrottlingException()).isTrue());
    assertThat(calls("DescribeFlowLogs")).isEqualTo(MotoScans.testSettings().maxAttempts());
  }
}
