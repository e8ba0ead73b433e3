package dev.parapet.operator.aws.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.util.Map;

/**
 * An endpoint that answers STS and every EC2 call the engine makes with a fixed, empty-account
 * answer after a fixed delay: it isolates the engine's concurrency from the emulator's CPU time.
 */
final class CannedEc2Endpoint implements AutoCloseable {
  private static final Map<String, String> BODIES =
      Map.of(
          "GetEbsEncryptionByDefault", "<ebsEncryptionByDefault>false</ebsEncryptionByDefault>",
          "GetSnapshotBlockPublicAccessState", "<state>unblocked</state>");
  private static final String[] EC2_ACTIONS = {
    "DescribeSecurityGroups",
    "DescribeNetworkInterfaces",
    "DescribeInstances",
    "GetEbsEncryptionByDefault",
    "DescribeVolumes",
    "DescribeSnapshots",
    "GetSnapshotBlockPublicAccessState",
    "DescribeImages",
    "DescribeVpcs",
    "DescribeFlowLogs",
    "DescribeNetworkAcls"
  };
  private final WireMockServer server;

  CannedEc2Endpoint(int latencyMillis) {
    server =
        new WireMockServer(
            WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(300)
                .jettyAcceptors(2)
                .jettyAcceptQueueSize(1024)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(300)
                .disableRequestJournal());
    server.start();
    server.setGlobalFixedDelay(latencyMillis);
    server.stubFor(
        post(anyUrl())
            .withRequestBody(matching("(?s).*Action=GetCallerIdentity(&.*)?"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                            + "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/bench</Arn>"
                            + "<UserId>AIDABENCH</UserId><Account>123456789012</Account>"
                            + "</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId>"
                            + "</ResponseMetadata></GetCallerIdentityResponse>")));
    for (var action : EC2_ACTIONS) {
      server.stubFor(
          post(anyUrl())
              .withRequestBody(matching("(?s).*Action=" + action + "(&.*)?"))
              .willReturn(
                  aResponse()
                      .withHeader("Content-Type", "text/xml")
                      .withBody(
                          "<"
                              + action
                              + "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                              + "<requestId>r</requestId>"
                              + BODIES.getOrDefault(action, "")
                              + "</"
                              + action
                              + "Response>")));
    }
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  @Override
  public void close() {
    server.stop();
  }
}
