package dev.parapet.operator.aws.rules.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.operator.aws.rules.AwsRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter-pattern evaluator and the fifteen CIS 4.x event samples. */
class CisMonitoringTest {

  static MonitoringAlarmRule byId(String id) {
    return CisMonitoring.rules().stream()
        .map(MonitoringAlarmRule.class::cast)
        .filter(r -> r.definition().id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void fifteenRulesWithDistinctIds() {
    assertThat(CisMonitoring.rules()).hasSize(15);
    assertThat(CisMonitoring.rules().stream().map(AwsRule::id).distinct()).hasSize(15);
  }

  @Test
  void everyRuleIsSatisfiedByTheBenchmarksOwnPattern() {
    for (var r : CisMonitoring.rules()) {
      var rule = (MonitoringAlarmRule) r;
      assertThat(rule.covers(rule.benchmarkPattern()))
          .as("%s with %s", rule.id(), rule.benchmarkPattern())
          .isTrue();
    }
  }

  @Test
  void noRuleIsSatisfiedByACatchAllOrAnotherRecommendationsPattern() {
    var rules = CisMonitoring.rules().stream().map(MonitoringAlarmRule.class::cast).toList();
    for (var rule : rules) {
      assertThat(rule.covers("{ $.eventName = * }")).as(rule.id()).isFalse();
      assertThat(rule.covers("{ $.eventName = \"NothingAtAll\" }")).as(rule.id()).isFalse();
      for (var other : rules) {
        if (other != rule) {
          assertThat(rule.covers(other.benchmarkPattern()))
              .as("%s with the pattern of %s", rule.id(), other.id())
              .isFalse();
        }
      }
    }
  }

  @Test
  void spacingQuotingOrderAndParenthesesDoNotMatter() {
    var cfg = byId("aws-cloudwatch-no-alarm-cloudtrail-config-changes");
    assertThat(
            cfg.covers(
                "{($.eventName=StopLogging)||($.eventName=StartLogging)||($.eventName=DeleteTrail)"
                    + "||($.eventName=UpdateTrail)||($.eventName=CreateTrail)}"))
        .isTrue();
    assertThat(
            cfg.covers(
                "{ ($.eventName = \"CreateTrail\") || ($.eventName = \"UpdateTrail\") ||"
                    + " ($.eventName = \"DeleteTrail\") || ($.eventName = \"StartLogging\") }"))
        .as("StopLogging missing")
        .isFalse();
    var root = byId("aws-cloudwatch-no-alarm-root-usage");
    assertThat(
            root.covers(
                "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS"
                    + " && $.eventType != \"AwsServiceEvent\" }"))
        .isTrue();
    assertThat(root.covers("{ $.userIdentity.type = Root }")).isTrue();
    assertThat(root.covers("{ $.userIdentity.type = IAMUser }")).isFalse();
  }

  @Test
  void theOlderUnauthorizedCallsPatternStillCatchesTheCalls() {
    var unauthorized = byId("aws-cloudwatch-no-alarm-unauthorized-api-calls");
    assertThat(
            unauthorized.covers(
                "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"))
        .isTrue();
    assertThat(unauthorized.covers("{ $.errorCode = \"AccessDenied*\" }"))
        .as("misses UnauthorizedOperation")
        .isFalse();
  }

  @Test
  void theV3SecurityGroupPatternLacksModifySecurityGroupRules() {
    var sg = byId("aws-cloudwatch-no-alarm-security-group-changes");
    assertThat(
            sg.covers(
                "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName ="
                    + " AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress)"
                    + " || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName ="
                    + " CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"))
        .isFalse();
  }

  @Test
  void kmsPatternWithoutTheEventSourceAlsoCatchesOtherServicesAndIsRejected() {
    var kms = byId("aws-cloudwatch-no-alarm-cmk-disable-or-deletion");
    assertThat(kms.covers("{($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)}"))
        .isFalse();
  }

  @Test
  void malformedPatternsAreErrorsAndCoverNothing() {
    for (var bad :
        List.of(
            "",
            "ERROR",
            "{ $.eventName = }",
            "{ ($.eventName = \"X\" }",
            "{ $.eventName = \"X\" } trailing",
            "{ eventName = X }",
            "{ $.eventName ~ X }",
            "{ $.eventName = \"unterminated }")) {
      assertThatThrownBy(() -> FilterPattern.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(byId("aws-cloudwatch-no-alarm-vpc-changes").covers(bad)).isFalse();
    }
  }

  @Test
  void evaluatorSemantics() {
    Map<String, Object> e =
        FilterPattern.event(
            "eventName",
            "ConsoleLogin",
            "latency",
            "250",
            "flag",
            true,
            "gone",
            FilterPattern.NULL);
    assertThat(FilterPattern.parse("{ $.eventName = Console* }").matches(e)).isTrue();
    assertThat(FilterPattern.parse("{ $.eventName = *Login }").matches(e)).isTrue();
    assertThat(FilterPattern.parse("{ $.eventName = \"consolelogin\" }").matches(e)).isFalse();
    assertThat(FilterPattern.parse("{ $.latency > 200 && $.latency <= 250 }").matches(e)).isTrue();
    assertThat(FilterPattern.parse("{ $.latency = 250.0 }").matches(e)).isTrue();
    assertThat(FilterPattern.parse("{ $.missing != \"x\" }").matches(e)).isFalse();
    assertThat(FilterPattern.parse("{ $.missing NOT EXISTS }").matches(e)).isTrue();
    assertThat(FilterPattern.parse("{ $.eventName EXISTS }").matches(e)).isTrue();
    assertThat(FilterPattern.parse("{ $.gone IS NULL }").matches(e)).isTrue();
    assertThat(FilterPattern.parse("{ $.flag IS TRUE }").matches(e)).isTrue();
    // && binds tighter than ||
    assertThat(
            FilterPattern.parse("{ $.eventName = X || $.flag IS TRUE && $.latency < 1 }")
                .matches(e))
        .isFalse();
    assertThat(
            FilterPattern.parse("{ ($.eventName = X || $.flag IS TRUE) && $.latency > 1 }")
                .matches(e))
        .isTrue();
  }
}
