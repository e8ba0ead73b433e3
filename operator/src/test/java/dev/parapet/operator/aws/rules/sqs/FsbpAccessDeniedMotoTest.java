package dev.parapet.operator.aws.rules.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * AccessDenied on the FSBP services' calls (a WireMock proxy in front of moto) never becomes PASS
 * or FAIL: the per-resource call denied for every topic (SNS GetTopicAttributes) and a whole
 * service denied (Lambda) leave their rules UNKNOWN with the reason, and the rest of the scan (SQS)
 * is judged as usual.
 */
class FsbpAccessDeniedMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();
  static final String REGION = "eu-west-3";
  static MotoProxy proxy;
  static ScanReport report;

  @BeforeAll
  static void seedAndScan() {
    try (var sns = new AwsSeed(MOTO.server()).client(SnsClient.builder(), REGION)) {
      sns.createTopic(b -> b.name("one"));
      sns.createTopic(b -> b.name("two"));
    }
    proxy = new MotoProxy(MOTO.server());
    proxy.accessDeniedForOperation("sns", "GetTopicAttributes");
    proxy.accessDenied("lambda", REGION);
    report =
        MotoScans.scan(
            proxy.endpoint(),
            List.of(REGION),
            CloudPolicy.only(
                "aws-sns-topic-unencrypted",
                "aws-sns-topic-public",
                "aws-lambda-function-public",
                "aws-sqs-queue-unencrypted"),
            MotoScans.testSettings());
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void deniedCallsLeaveTheirRulesUnknownWithTheReason() {
    for (var rule :
        List.of(
            "aws-sns-topic-unencrypted", "aws-sns-topic-public", "aws-lambda-function-public")) {
      assertThat(report.results())
          .filteredOn(r -> r.ruleId().equals(rule))
          .as(rule)
          .isNotEmpty()
          .allSatisfy(
              r -> {
                assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN);
                assertThat(r.cause().reason()).isEqualTo(UnknownReason.AccessDenied);
              });
    }
    assertThat(report.errors())
        .anySatisfy(e -> assertThat(e.operation()).isEqualTo("GetTopicAttributes"))
        .allSatisfy(e -> assertThat(e.reason()).isEqualTo(UnknownReason.AccessDenied));
    // SQS is not denied: judged (no queues, so no results) and not UNKNOWN.
    assertThat(report.results())
        .filteredOn(r -> r.ruleId().equals("aws-sqs-queue-unencrypted"))
        .isEmpty();
  }
}
