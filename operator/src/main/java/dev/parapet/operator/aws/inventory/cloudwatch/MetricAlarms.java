package dev.parapet.operator.aws.inventory.cloudwatch;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.cloudtrail.MultiRegionTrails;
import java.util.List;

/**
 * What CIS 4.1-4.15 follow from a multi-region trail's CloudWatch Logs log group to a person: in
 * each region holding such a log group, every metric filter (one paginated DescribeMetricFilters,
 * kept when it belongs to a trail's log group), every metric alarm (DescribeAlarms) and every SNS
 * subscription (ListSubscriptions). Read once per account; no call per filter, alarm or topic. The
 * multi-region trails it follows are those of {@link MultiRegionTrails} (the same calls, made once
 * per scan when both are read).
 */
@DatasetSpec(
    service = "cloudwatch",
    global = true,
    actions = {
      "cloudtrail:DescribeTrails",
      "cloudtrail:GetTrailStatus",
      "cloudtrail:GetEventSelectors",
      "logs:DescribeMetricFilters",
      "cloudwatch:DescribeAlarms",
      "sns:ListSubscriptions"
    })
public record MetricAlarms(
    List<MultiRegionTrails.Coverage> trails,
    List<MetricFilter> filters,
    List<Alarm> alarms,
    List<Subscription> subscriptions)
    implements Dataset {

  public MetricAlarms {
    trails = List.copyOf(trails);
    filters = List.copyOf(filters);
    alarms = List.copyOf(alarms);
    subscriptions = List.copyOf(subscriptions);
  }

  @Override
  public int resourceCount() {
    return filters.size() + alarms.size();
  }

  /** A metric filter of a log group, with the metrics it publishes. */
  public record MetricFilter(
      String region, String logGroupName, String name, String pattern, List<Metric> metrics) {
    public MetricFilter {
      metrics = List.copyOf(metrics);
    }
  }

  /** A metric by name and namespace. */
  public record Metric(String name, String namespace) {}

  /** A metric alarm and the actions it takes when it fires. */
  public record Alarm(
      String region,
      String name,
      String metricName,
      String namespace,
      boolean actionsEnabled,
      List<String> alarmActions) {
    public Alarm {
      alarmActions = List.copyOf(alarmActions);
    }
  }

  /**
   * An SNS subscription; {@code subscriptionArn} is {@code PendingConfirmation} until the endpoint
   * confirms it.
   */
  public record Subscription(String topicArn, String subscriptionArn, String protocol) {}
}
