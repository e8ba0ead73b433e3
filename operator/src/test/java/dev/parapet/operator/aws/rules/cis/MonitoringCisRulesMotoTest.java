package dev.parapet.operator.aws.rules.cis;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricTransformation;

/**
 * CIS 4.1-4.15 against moto: a logging multi-region trail delivers to a log group in eu-west-1 (not
 * the scan's home region, so the log group's region is followed). Root usage has the whole chain
 * (filter, alarm, topic, confirmed subscriber): PASS. IAM policy changes have a matching filter
 * whose alarm notifies a topic nobody subscribes to; CloudTrail changes have a filter but no alarm;
 * security group changes have a filter with the v3 pattern (no ModifySecurityGroupRules); the rest
 * have nothing: all FAIL, each saying where the chain stops.
 */
class MonitoringCisRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  static final String HOME = "us-east-1";
  static final String LOGS = "eu-west-1";
  static final String GROUP = "trail-events";
  static ScanReport report;

  static String[] monitoringRules() {
    return RuleRegistry.defaults().rules().stream()
        .map(r -> r.id())
        .filter(id -> id.startsWith("aws-cloudwatch-no-alarm-"))
        .toArray(String[]::new);
  }

  @BeforeAll
  static void seedAndScan() {
    var seed = new AwsSeed(MOTO.server());
    String groupArn;
    try (var logs = seed.logs(LOGS)) {
      logs.createLogGroup(b -> b.logGroupName(GROUP));
      logs.createLogGroup(b -> b.logGroupName("unrelated"));
      groupArn =
          "arn:aws:logs:" + LOGS + ":" + MotoServer.ACCOUNT_ID + ":log-group:" + GROUP + ":*";
      filter(
          logs,
          GROUP,
          "root",
          "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy"
              + " NOT EXISTS && $.eventType != \"AwsServiceEvent\" }",
          "RootUsage");
      filter(
          logs,
          GROUP,
          "iam",
          "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)"
              + "||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)"
              + "||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)"
              + "||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)"
              + "||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)"
              + "||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)"
              + "||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}",
          "IamChanges");
      filter(
          logs,
          GROUP,
          "trail",
          "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) ||"
              + " ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName ="
              + " StopLogging) }",
          "TrailChanges");
      filter(
          logs,
          GROUP,
          "sg-v3",
          "{ ($.eventName = AuthorizeSecurityGroupIngress) ||"
              + " ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName ="
              + " RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) ||"
              + " ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
          "SgChanges");
      // The right 4.10 pattern, but on another log group: it does not count.
      filter(
          logs,
          "unrelated",
          "sg",
          "{ ($.eventName = AuthorizeSecurityGroupIngress) ||"
              + " ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName ="
              + " RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) ||"
              + " ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) ||"
              + " ($.eventName = ModifySecurityGroupRules) }",
          "SgChangesElsewhere");
    }
    try (var sns = seed.sns(LOGS);
        var cw = seed.cloudWatch(LOGS)) {
      var alerts = sns.createTopic(b -> b.name("alerts")).topicArn();
      sns.subscribe(b -> b.topicArn(alerts).protocol("email").endpoint("security@example.com"));
      var silent = sns.createTopic(b -> b.name("silent")).topicArn();
      alarm(cw, "root-alarm", "RootUsage", alerts);
      alarm(cw, "iam-alarm", "IamChanges", silent);
      alarm(cw, "sg-alarm", "SgChangesElsewhere", alerts);
    }
    try (var s3 = seed.s3(HOME);
        var trail = seed.cloudTrail(HOME)) {
      s3.createBucket(b -> b.bucket("trail-logs"));
      var logGroupArn = groupArn;
      trail.createTrail(
          b ->
              b.name("org-wide")
                  .s3BucketName("trail-logs")
                  .isMultiRegionTrail(true)
                  .cloudWatchLogsLogGroupArn(logGroupArn)
                  .cloudWatchLogsRoleArn(
                      "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/trail-to-logs"));
      trail.startLogging(b -> b.name("org-wide"));
    }
    report = MotoScans.scan(MOTO.server(), List.of(HOME), CloudPolicy.only(monitoringRules()));
  }

  static void filter(
      software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient logs,
      String group,
      String name,
      String pattern,
      String metric) {
    logs.putMetricFilter(
        b ->
            b.logGroupName(group)
                .filterName(name)
                .filterPattern(pattern)
                .metricTransformations(
                    MetricTransformation.builder()
                        .metricName(metric)
                        .metricNamespace("CISBenchmark")
                        .metricValue("1")
                        .build()));
  }

  static void alarm(
      software.amazon.awssdk.services.cloudwatch.CloudWatchClient cw,
      String name,
      String metric,
      String topic) {
    cw.putMetricAlarm(
        b ->
            b.alarmName(name)
                .metricName(metric)
                .namespace("CISBenchmark")
                .statistic(Statistic.SUM)
                .period(300)
                .threshold(1.0)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .alarmActions(topic));
  }

  static String evidence(String ruleId) {
    return report.failures().stream()
        .filter(r -> r.ruleId().equals(ruleId))
        .findFirst()
        .orElseThrow()
        .evidence();
  }

  @Test
  void fifteenRulesNothingUnknown() {
    assertThat(monitoringRules()).hasSize(15);
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void theWholeChainPasses() {
    assertThat(passedIds(report, "aws-cloudwatch-no-alarm-root-usage"))
        .containsExactly(MotoServer.ACCOUNT_ID);
    assertThat(report.withStatus(ResultStatus.PASS)).hasSize(1);
    assertThat(report.failures()).hasSize(14);
  }

  @Test
  void eachFailureSaysWhereTheChainStops() {
    assertThat(failedIds(report, "aws-cloudwatch-no-alarm-iam-policy-changes"))
        .containsExactly(MotoServer.ACCOUNT_ID);
    assertThat(evidence("aws-cloudwatch-no-alarm-iam-policy-changes"))
        .contains("no SNS topic with a confirmed subscriber");
    assertThat(evidence("aws-cloudwatch-no-alarm-cloudtrail-config-changes"))
        .contains("no alarm with actions enabled watches the metric of filter trail");
    assertThat(evidence("aws-cloudwatch-no-alarm-security-group-changes"))
        .contains("no metric filter on trail-events matches the events");
    assertThat(evidence("aws-cloudwatch-no-alarm-vpc-changes"))
        .contains("no metric filter on trail-events matches the events");
  }

  @Test
  void onePassOfListCallsInTheLogGroupsRegionNoCallPerFilterAlarmOrTopic() {
    assertThat(report.apiCalls())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "sts:GetCallerIdentity", 1L,
                "cloudtrail:DescribeTrails", 1L,
                "cloudtrail:GetTrailStatus", 1L,
                "cloudtrail:GetEventSelectors", 1L,
                "logs:DescribeMetricFilters", 1L,
                "cloudwatch:DescribeAlarms", 1L,
                "sns:ListSubscriptions", 1L));
  }
}
