package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.Ownership;
import dev.parapet.operator.aws.inventory.cloudwatch.LogGroupArn;
import dev.parapet.operator.aws.inventory.cloudwatch.MetricAlarms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * CloudWatch collectors for CIS 4.x: once per account, in each region that holds the CloudWatch
 * Logs log group of a multi-region trail, one paginated DescribeMetricFilters (all filters of the
 * region; those of other log groups are dropped on the returned {@code logGroupName}), one
 * paginated DescribeAlarms and one paginated ListSubscriptions.
 */
public final class CloudWatchCollector {

  private CloudWatchCollector() {}

  public static List<Collector<?>> all() {
    return List.of(Collector.of(MetricAlarms.class, CloudWatchCollector::metricAlarms));
  }

  static MetricAlarms metricAlarms(CollectContext ctx) {
    var groups = new TreeMap<String, Set<String>>(); // region -> log group names
    var trails = CloudTrailCollector.multiRegionTrails(ctx).trails();
    for (var t : trails) {
      var group = LogGroupArn.parse(t.logGroupArn());
      if (group != null && Ownership.ownedBy(group.account(), ctx.accountId())) {
        groups.computeIfAbsent(group.region(), r -> new TreeSet<>()).add(group.name());
      }
    }
    var filters = new ArrayList<MetricAlarms.MetricFilter>();
    var alarms = new ArrayList<MetricAlarms.Alarm>();
    var subscriptions = new ArrayList<MetricAlarms.Subscription>();
    for (Map.Entry<String, Set<String>> e : groups.entrySet()) {
      var region = e.getKey();
      ctx
          .session()
          .client(CloudWatchLogsClient.class, region)
          .describeMetricFiltersPaginator(b -> {})
          .metricFilters()
          .stream()
          .filter(f -> e.getValue().contains(f.logGroupName()))
          .forEach(
              f ->
                  filters.add(
                      new MetricAlarms.MetricFilter(
                          region,
                          f.logGroupName(),
                          f.filterName(),
                          f.filterPattern(),
                          f.metricTransformations().stream()
                              .map(
                                  m -> new MetricAlarms.Metric(m.metricName(), m.metricNamespace()))
                              .toList())));
      ctx
          .session()
          .client(CloudWatchClient.class, region)
          .describeAlarmsPaginator(b -> {})
          .metricAlarms()
          .stream()
          .forEach(
              a ->
                  alarms.add(
                      new MetricAlarms.Alarm(
                          region,
                          a.alarmName(),
                          a.metricName(),
                          a.namespace(),
                          !Boolean.FALSE.equals(a.actionsEnabled()),
                          a.alarmActions())));
      ctx
          .session()
          .client(SnsClient.class, region)
          .listSubscriptionsPaginator(b -> {})
          .subscriptions()
          .stream()
          .forEach(
              s ->
                  subscriptions.add(
                      new MetricAlarms.Subscription(
                          s.topicArn(), s.subscriptionArn(), s.protocol())));
    }
    return new MetricAlarms(trails, filters, alarms, subscriptions);
  }
}
