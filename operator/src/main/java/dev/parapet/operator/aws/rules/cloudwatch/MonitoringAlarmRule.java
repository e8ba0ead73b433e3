package dev.parapet.operator.aws.rules.cloudwatch;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.cloudtrail.MultiRegionTrails;
import dev.parapet.operator.aws.inventory.cloudwatch.LogGroupArn;
import dev.parapet.operator.aws.inventory.cloudwatch.MetricAlarms;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One CIS 4.x recommendation (the shared mechanism of {@link CisMonitoring}): a multi-region trail
 * that is logging and records all management events delivers to a CloudWatch Logs log group; a
 * metric filter of that log group matches the recommendation's events (its pattern is evaluated on
 * sample CloudTrail events: it must match every {@code matching} sample and none of the {@code
 * notMatching} ones); an alarm with its actions enabled watches the filter's metric (same name and
 * namespace, same region); and one of the alarm's SNS topics has a confirmed subscriber. Judged
 * once per account: PASS when one such chain exists, else FAIL naming where each chain stops.
 */
public final class MonitoringAlarmRule extends GlobalRule {

  private final RuleDefinition definition;
  private final String benchmarkPattern;
  private final List<Map<String, Object>> matching;
  private final List<Map<String, Object>> notMatching;

  MonitoringAlarmRule(
      RuleDefinition definition,
      String benchmarkPattern,
      List<Map<String, Object>> matching,
      List<Map<String, Object>> notMatching) {
    this.definition = definition;
    this.benchmarkPattern = benchmarkPattern;
    this.matching = List.copyOf(matching);
    this.notMatching = List.copyOf(notMatching);
  }

  static RuleDefinition.Builder definition(String id, String cis, String fsbp) {
    var b =
        RuleDefinition.builder(id)
            .severity(Severity.LOW)
            .resourceType("AWS::::Account")
            .cis(cis)
            .reads(MetricAlarms.class);
    return fsbp == null ? b : b.fsbp(fsbp);
  }

  @Override
  public RuleDefinition definition() {
    return definition;
  }

  /** The filter pattern the benchmark gives (also in the remediation). */
  public String benchmarkPattern() {
    return benchmarkPattern;
  }

  /** Whether a pattern matches the recommendation's events (false when it does not parse). */
  public boolean covers(String pattern) {
    FilterPattern p;
    try {
      p = FilterPattern.parse(pattern);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return matching.stream().allMatch(p::matches) && notMatching.stream().noneMatch(p::matches);
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var resource = view.accountSetting("cloudwatch", "cis-monitoring/" + definition.id());
    var data = view.get(MetricAlarms.class);
    var trails =
        data.trails().stream()
            .filter(MultiRegionTrails.Coverage::complete)
            .filter(t -> t.logGroupArn() != null)
            .toList();
    if (trails.isEmpty()) {
      results.add(
          RuleResult.fail(
              resource,
              "No logging multi-region trail with all management events delivers to CloudWatch"
                  + " Logs"));
      return;
    }
    var stops = new ArrayList<String>();
    for (var trail : trails) {
      var group = LogGroupArn.parse(trail.logGroupArn());
      if (group == null) {
        stops.add(trail.name() + ": log group ARN " + trail.logGroupArn() + " is not readable");
        continue;
      }
      var filters =
          data.filters().stream()
              .filter(f -> f.region().equals(group.region()))
              .filter(f -> f.logGroupName().equals(group.name()))
              .filter(f -> covers(f.pattern()))
              .toList();
      if (filters.isEmpty()) {
        stops.add(trail.name() + ": no metric filter on " + group.name() + " matches the events");
        continue;
      }
      var alarmed = false;
      for (var f : filters) {
        for (var metric : f.metrics()) {
          for (var alarm : data.alarms()) {
            if (!alarm.region().equals(group.region())
                || !metric.name().equals(alarm.metricName())
                || !metric.namespace().equals(alarm.namespace())
                || !alarm.actionsEnabled()) {
              continue;
            }
            alarmed = true;
            var subscribed =
                alarm.alarmActions().stream()
                    .filter(a -> a.contains(":sns:"))
                    .anyMatch(
                        topic ->
                            data.subscriptions().stream()
                                .anyMatch(
                                    s ->
                                        topic.equals(s.topicArn())
                                            && s.subscriptionArn() != null
                                            && s.subscriptionArn().startsWith("arn:")));
            if (subscribed) {
              results.add(RuleResult.pass(resource));
              return;
            }
          }
        }
      }
      stops.add(
          trail.name()
              + (alarmed
                  ? ": the alarms on the filter's metric notify no SNS topic with a confirmed"
                      + " subscriber"
                  : ": no alarm with actions enabled watches the metric of filter "
                      + filters.get(0).name()));
    }
    results.add(RuleResult.fail(resource, String.join("; ", stops)));
  }
}
