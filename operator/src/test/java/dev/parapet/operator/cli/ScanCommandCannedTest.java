package dev.parapet.operator.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code parapet scan} input errors on canned answers (loopback only): an account whose opt-in
 * region is disabled, an endpoint that implements STS and DescribeRegions and answers every other
 * call with HTTP 500 and an HTML page (as an emulator does for an API it lacks), and an endpoint
 * nobody listens on.
 */
class ScanCommandCannedTest {
  static final String ACCOUNT = "123456789012";
  static WireMockServer server;
  static String endpoint;

  @BeforeAll
  static void start() {
    System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
    System.setProperty("aws.secretAccessKey", "fake-secret-for-a-canned-endpoint");
    server =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    endpoint = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.stop();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @BeforeEach
  void stubs() {
    server.resetAll();
    server.stubFor(
        post(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<!DOCTYPE html><title>500 Internal Server Error</title>")));
    query(
        "GetCallerIdentity",
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<GetCallerIdentityResult><Arn>arn:aws:iam::"
            + ACCOUNT
            + ":user/auditor</Arn><UserId>AIDAEXAMPLE</UserId><Account>"
            + ACCOUNT
            + "</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId>"
            + "</ResponseMetadata></GetCallerIdentityResponse>");
    query(
        "DescribeRegions",
        "<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
            + "<requestId>r</requestId><regionInfo>"
            + region("eu-west-1", "opt-in-not-required")
            + region("us-east-1", "opt-in-not-required")
            + region("ap-east-1", "not-opted-in")
            + "</regionInfo></DescribeRegionsResponse>");
  }

  private static void query(String action, String body) {
    server.stubFor(
        post(anyUrl())
            .withRequestBody(matching("(?s).*Action=" + action + "(&.*)?"))
            .willReturn(aResponse().withHeader("Content-Type", "text/xml").withBody(body)));
  }

  private static String region(String name, String optIn) {
    return "<item><regionName>"
        + name
        + "</regionName><regionEndpoint>ec2."
        + name
        + ".amazonaws.com</regionEndpoint><optInStatus>"
        + optIn
        + "</optInStatus></item>";
  }

  private static int calls(String action) {
    return server
        .findAll(
            postRequestedFor(anyUrl())
                .withRequestBody(matching("(?s).*Action=" + action + "(&.*)?")))
        .size();
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    var all = new ArrayList<String>();
    all.add("scan");
    all.addAll(List.of(args));
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var code =
        ParapetCli.execute(
            all.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(new byte[0]));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aDisabledOptInRegionIsRejectedBeforeAnyScanNamingTheEnabledOnes() {
    var r =
        run("--account-id", ACCOUNT, "--regions", "eu-west-1,ap-east-1", "--endpoint", endpoint);
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err())
        .contains("--regions: not enabled for account " + ACCOUNT + " (opt-in): ap-east-1")
        .contains("Enabled regions: eu-west-1, us-east-1")
        .doesNotContain("scanning account");
    assertThat(r.out()).isEmpty();
    assertThat(calls("DescribeSecurityGroups")).isZero();
  }

  /**
   * Every EC2 call answered with an HTML 500: each is asked once (no retry storm on an API the
   * endpoint does not implement), every UNKNOWN line names the rules it left unjudged, and a scan
   * that judged nothing exits 2 instead of printing "No findings.".
   */
  @Test
  void anEndpointImplementingNothingIsAskedOnceAndAScanThatJudgedNothingExits2() {
    var r =
        run(
            "--account-id",
            ACCOUNT,
            "--regions",
            "eu-west-1",
            "--endpoint",
            endpoint,
            "--services",
            "ec2",
            "--fail-on",
            "none");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.out()).doesNotContain("No findings");
    assertThat(r.err())
        .contains("nothing was judged")
        .contains(
            "parapet: UNKNOWN ec2 in eu-west-1: Error: ec2:DescribeVolumes: HTTP 500 with no AWS"
                + " error code or message (the endpoint may not implement this API) (not judged"
                + " there: aws-ec2-ebs-volume-unencrypted)")
        .containsPattern(
            "UNKNOWN ec2 in eu-west-1: .*DescribeSecurityGroups.*not judged there: .*"
                + "aws-ec2-sg-ssh-open");
    for (var action :
        List.of("DescribeVolumes", "DescribeSecurityGroups", "DescribeInstances", "DescribeVpcs")) {
      assertThat(calls(action)).as(action).isEqualTo(1);
    }
  }

  @Test
  void servicesAreValidatedBeforeAnyAwsCall() {
    var r = run("--regions", "eu-west-1", "--endpoint", endpoint, "--services", "vpc");
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).contains("--services[0]: unknown service 'vpc'");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void anUnknownRegionNameIsRejectedWithoutACallWhenItIsNotOneInShape() {
    var r = run("--account-id", ACCOUNT, "--regions", "eu_west_1", "--endpoint", endpoint);
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).contains("--regions: 'eu_west_1' is not an AWS region name");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void aRefusedConnectionIsAnUnreachableEndpointNotACredentialsProblem() throws Exception {
    int port;
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    var closed = "http://127.0.0.1:" + port;
    for (var args :
        List.of(
            List.of("--account-id", ACCOUNT, "--regions", "eu-west-1", "--endpoint", closed),
            List.of("--regions", "eu-west-1", "--endpoint", closed))) {
      var r = run(args.toArray(String[]::new));
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.ERROR);
      assertThat(r.err())
          .contains("parapet: --endpoint " + closed + " is unreachable")
          .contains("check --endpoint")
          .doesNotContainIgnoringCase("credentials")
          .doesNotContain("spec.");
    }
  }
}
