package dev.parapet.operator.aws.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.testing.MotoScans;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Adaptive retry on canned answers (WireMock on loopback): a client sends freely until EC2
 * throttles it, then sends far fewer requests per second while the throttling lasts, and picks up
 * speed again once calls succeed. A call that stays throttled through its retries fails with the
 * throttling error, classified {@link UnknownReason#Throttled} (the engine turns that into UNKNOWN
 * results, {@code FaultToleranceMotoTest}). Request times are the server's: what AWS would see.
 * Wall-clock based, with wide margins (the bounds differ by an order of magnitude).
 */
class AdaptiveRetryTest {
  private static final String VPCS =
      "<DescribeVpcsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
          + "<requestId>r</requestId><vpcSet/></DescribeVpcsResponse>";
  private static final String THROTTLED =
      "<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
          + "<Message>Request limit exceeded.</Message></Error></Errors>"
          + "<RequestID>r</RequestID></Response>";

  private WireMockServer server;
  private AwsClientFactory clients;
  private AwsSession session;

  @BeforeEach
  void start() {
    server =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    server.stubFor(
        post(anyUrl())
            .withRequestBody(matching("(?s).*Action=DescribeVpcs(&.*)?"))
            .atPriority(5)
            .willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(VPCS)));
    clients = new AwsClientFactory(MotoScans.testSettings());
    session =
        clients.open(
            new CredentialSource.StaticKeys("AKIAIOSFODNN7EXAMPLE", "fake-secret", null),
            URI.create("http://127.0.0.1:" + server.port()),
            "eu-west-1");
  }

  @AfterEach
  void stop() {
    session.close();
    clients.close();
    server.stop();
  }

  /** Server-side arrival times (ms since epoch) of every request so far, ascending. */
  private List<Long> arrivals() {
    var times = new ArrayList<Long>();
    server.getAllServeEvents().forEach(e -> times.add(e.getRequest().getLoggedDate().getTime()));
    times.sort(Long::compare);
    return times;
  }

  /** Requests per second that arrived in [from, to) (ms since epoch). */
  private static double rate(List<Long> times, long from, long to) {
    var n = times.stream().filter(t -> t >= from && t < to).count();
    return n * 1000.0 / Math.max(1, to - from);
  }

  @Test
  void throttlingLowersTheSendingRateWhichRecoversOnceCallsSucceed() {
    var ec2 = session.client(Ec2Client.class, "eu-west-1");

    // Unthrottled: back-to-back calls go as fast as the loopback server answers (after a warm-up:
    // the first calls load classes and sign for the first time).
    for (int i = 0; i < 20; i++) {
      ec2.describeVpcs(b -> {});
    }
    var baselineStart = System.currentTimeMillis();
    for (int i = 0; i < 60; i++) {
      ec2.describeVpcs(b -> {});
    }
    var baselineEnd = System.currentTimeMillis();
    var baseline = rate(arrivals(), baselineStart, baselineEnd + 1);

    // A throttle storm: every DescribeVpcs answer is RequestLimitExceeded (HTTP 503).
    var storm =
        server.stubFor(
            post(anyUrl())
                .withRequestBody(matching("(?s).*Action=DescribeVpcs(&.*)?"))
                .atPriority(1)
                .willReturn(
                    aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", "text/xml")
                        .withBody(THROTTLED)));
    var stormStart = System.currentTimeMillis();
    var stormCalls = 0;
    while (System.currentTimeMillis() - stormStart < 3_000) {
      stormCalls++;
      assertThatThrownBy(() -> ec2.describeVpcs(b -> {}))
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e -> {
                assertThat(e.isThrottlingException()).isTrue();
                var error = Failures.classify(e, "ec2", "eu-west-1", "DescribeVpcs");
                assertThat(error.reason()).isEqualTo(UnknownReason.Throttled);
                assertThat(error.message()).contains("Request limit exceeded");
              });
    }
    var stormEnd = System.currentTimeMillis();
    server.removeStub(storm);

    // Recovery: the same calls succeed again.
    var recoveryStart = System.currentTimeMillis();
    var recovered = 0;
    while (System.currentTimeMillis() - recoveryStart < 7_000) {
      assertThat(ec2.describeVpcs(b -> {}).vpcs()).isEmpty();
      recovered++;
    }
    var recoveryEnd = System.currentTimeMillis();

    var times = arrivals();
    // The throttled phase after its first second: the first throttles already lowered the rate.
    var throttled = rate(times, stormStart + 1_000, stormEnd);
    var recoveryFirst = rate(times, recoveryStart, recoveryStart + 1_000);
    var recoveryLast = rate(times, recoveryEnd - 1_000, recoveryEnd + 1);
    System.out.printf(
        Locale.ROOT,
        "[adaptive-retry] requests/s: unthrottled %.1f (60 calls), throttled %.2f (%d calls in"
            + " %d ms), recovery first second %.1f, last second %.1f (%d calls in %d ms)%n",
        baseline,
        throttled,
        stormCalls,
        stormEnd - stormStart,
        recoveryFirst,
        recoveryLast,
        recovered,
        recoveryEnd - recoveryStart);

    // The standard strategy would keep sending at about the unthrottled pace (its throttling
    // backoff here is 20-200 ms); the adaptive one falls towards its floor of 0.5 per second.
    assertThat(throttled).as("requests/s while throttled").isLessThanOrEqualTo(5.0);
    assertThat(throttled).as("throttled vs unthrottled").isLessThan(baseline / 4);
    // It recovers: the rate grows again as calls succeed, well beyond the throttled rate.
    assertThat(recoveryLast).as("requests/s at the end of the recovery").isGreaterThan(10.0);
    assertThat(recoveryLast)
        .as("end vs start of the recovery")
        .isGreaterThanOrEqualTo(4 * Math.max(1.0, recoveryFirst));
  }

  @Test
  void eachServiceAndRegionHasItsOwnAdaptiveRate() {
    var throttledRegion = session.client(Ec2Client.class, "eu-west-1");
    var otherRegion = session.client(Ec2Client.class, "us-east-1");
    server.stubFor(
        post(anyUrl())
            .withRequestBody(matching("(?s).*Action=DescribeVpcs(&.*)?"))
            .withHeader("Authorization", matching(".*/eu-west-1/.*"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(THROTTLED)));
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> throttledRegion.describeVpcs(b -> {}))
          .isInstanceOf(AwsServiceException.class);
    }
    // us-east-1 was never throttled: its client still sends back to back (at eu-west-1's lowered
    // rate, 20 calls would take some 40 s).
    var start = System.currentTimeMillis();
    for (int i = 0; i < 20; i++) {
      otherRegion.describeVpcs(b -> {});
    }
    var elapsed = System.currentTimeMillis() - start;
    assertThat(elapsed).as("20 calls in the unthrottled region (ms)").isLessThan(8_000);
  }
}
