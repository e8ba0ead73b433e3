package dev.parapet.operator.aws.rules.sqs;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** SQS and SNS rules (FSBP SQS.1, SQS.3, SNS.1, SNS.4) against moto: violators and clean twins. */
class SqsSnsRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();
  static final String REGION = "eu-west-1";
  static ScanReport report;

  static String policy(String principal, String condition) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"s1\",\"Effect\":\"Allow\","
        + "\"Principal\":"
        + principal
        + ",\"Action\":\"*\",\"Resource\":\"*\""
        + (condition == null ? "" : ",\"Condition\":" + condition)
        + "}]}";
  }

  @BeforeAll
  static void seedAndScan() {
    var seed = new AwsSeed(MOTO.server());
    try (var sqs = seed.client(SqsClient.builder(), REGION);
        var sns = seed.client(SnsClient.builder(), REGION)) {
      // moto turns SSE-SQS on by default: the failing twin switches it off explicitly.
      sqs.createQueue(
          b ->
              b.queueName("plain-open")
                  .attributes(
                      Map.of(
                          QueueAttributeName.SQS_MANAGED_SSE_ENABLED,
                          "false",
                          QueueAttributeName.POLICY,
                          policy("\"*\"", null))));
      sqs.createQueue(
          b ->
              b.queueName("kms-restricted")
                  .attributes(
                      Map.of(
                          QueueAttributeName.KMS_MASTER_KEY_ID,
                          "alias/example",
                          QueueAttributeName.POLICY,
                          policy(
                              "{\"AWS\":\"*\"}",
                              "{\"StringEquals\":{\"aws:SourceAccount\":\"123456789012\"}}"))));
      sqs.createQueue(
          b ->
              b.queueName("sse-sqs-ifexists")
                  .attributes(
                      Map.of(
                          QueueAttributeName.POLICY,
                          policy(
                              "{\"AWS\":\"*\"}",
                              "{\"StringEqualsIfExists\":{\"aws:SourceAccount\":\"123456789012\"}}"))));

      var open = sns.createTopic(b -> b.name("open-plain")).topicArn();
      sns.setTopicAttributes(
          b ->
              b.topicArn(open)
                  .attributeName("Policy")
                  .attributeValue(policy("{\"AWS\":[\"arn:aws:iam::*:root\"]}", null)));
      // The default policy (Principal * with an AWS:SourceOwner condition) is not public.
      sns.createTopic(
          b -> b.name("default-encrypted").attributes(Map.of("KmsMasterKeyId", "alias/aws/sns")));
    }
    report =
        MotoScans.scan(
            MOTO.server(),
            List.of(REGION),
            CloudPolicy.only(
                "aws-sqs-queue-unencrypted",
                "aws-sqs-queue-public",
                "aws-sns-topic-unencrypted",
                "aws-sns-topic-public"));
  }

  @Test
  void nothingIsUnknown() {
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void queueWithoutSseFailsAndKmsAndSseSqsTwinsPass() {
    assertThat(failedIds(report, "aws-sqs-queue-unencrypted")).containsExactly("plain-open");
    assertThat(passedIds(report, "aws-sqs-queue-unencrypted"))
        .containsExactlyInAnyOrder("kms-restricted", "sse-sqs-ifexists");
  }

  @Test
  void queuePolicyForEveryoneFailsUnlessTheCallerIsPinnedDown() {
    // An IfExists condition does not restrict: a request without the key passes it.
    assertThat(failedIds(report, "aws-sqs-queue-public"))
        .containsExactlyInAnyOrder("plain-open", "sse-sqs-ifexists");
    assertThat(passedIds(report, "aws-sqs-queue-public")).containsExactly("kms-restricted");
  }

  @Test
  void topicRulesJudgeKeyAndPolicy() {
    assertThat(failedIds(report, "aws-sns-topic-unencrypted")).containsExactly("open-plain");
    assertThat(passedIds(report, "aws-sns-topic-unencrypted")).containsExactly("default-encrypted");
    assertThat(failedIds(report, "aws-sns-topic-public")).containsExactly("open-plain");
    assertThat(passedIds(report, "aws-sns-topic-public")).containsExactly("default-encrypted");
  }

  @Test
  void oneListCallPerRegionAndOneAttributeCallPerResource() {
    assertThat(report.apiCalls())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "sts:GetCallerIdentity", 1L,
                "sqs:ListQueues", 1L,
                "sqs:GetQueueAttributes", 3L,
                "sns:ListTopics", 1L,
                "sns:GetTopicAttributes", 2L));
  }
}
