package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.rds.DbInstances;
import dev.parapet.operator.aws.inventory.rds.DbSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsRequest;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * RDS collectors: DescribeDBInstances and DescribeDBSnapshots (manual only) with the largest page,
 * plus one DescribeDBSnapshotAttributes per manual snapshot of the account (no list call returns
 * the restore attribute). The returned snapshot's type and owner are checked, not the filter.
 */
public final class RdsCollector {
  static final int PAGE = 100;

  private RdsCollector() {}

  public static List<Collector<?>> all() {
    return List.of(
        Collector.of(DbInstances.class, RdsCollector::instances),
        Collector.of(DbSnapshots.class, RdsCollector::snapshots));
  }

  static DbInstances instances(CollectContext ctx) {
    var rds = ctx.session().client(RdsClient.class, ctx.region());
    var request = DescribeDbInstancesRequest.builder().maxRecords(PAGE).build();
    var instances =
        rds.describeDBInstancesPaginator(request).dbInstances().stream()
            .map(
                i ->
                    new DbInstances.Instance(
                        i.dbInstanceIdentifier(),
                        i.dbInstanceArn(),
                        i.engine(),
                        Boolean.TRUE.equals(i.publiclyAccessible()),
                        Boolean.TRUE.equals(i.storageEncrypted()),
                        i.autoMinorVersionUpgrade(),
                        i.multiAZ(),
                        tags(i.tagList())))
            .toList();
    return new DbInstances(instances);
  }

  static DbSnapshots snapshots(CollectContext ctx) {
    var rds = ctx.session().client(RdsClient.class, ctx.region());
    var request =
        DescribeDbSnapshotsRequest.builder().snapshotType("manual").maxRecords(PAGE).build();
    var out = new ArrayList<DbSnapshots.Snapshot>();
    RuntimeException first = null;
    var failures = 0;
    for (var s : rds.describeDBSnapshotsPaginator(request).dbSnapshots()) {
      var listed =
          new DbSnapshots.Snapshot(
              s.dbSnapshotIdentifier(),
              s.dbSnapshotArn(),
              s.snapshotType(),
              s.dbInstanceIdentifier(),
              Fact.known(false),
              Map.of());
      if (!DbSnapshots.judged(listed, ctx.accountId())) {
        continue; // SnapshotType=manual is not trusted: no call for others' or automated ones
      }
      Fact<Boolean> publicRestore;
      try {
        var attributes =
            rds.describeDBSnapshotAttributes(b -> b.dbSnapshotIdentifier(s.dbSnapshotIdentifier()))
                .dbSnapshotAttributesResult()
                .dbSnapshotAttributes();
        publicRestore =
            Fact.known(
                attributes.stream()
                    .anyMatch(
                        a ->
                            "restore".equals(a.attributeName())
                                && a.attributeValues().contains("all")));
      } catch (RuntimeException e) {
        failures++;
        first = first == null ? e : first;
        var error = Failures.classify(e, "rds", ctx.region(), "DescribeDBSnapshotAttributes");
        publicRestore =
            Fact.unknown(
                new CollectionError(
                    error.service(),
                    error.region(),
                    error.operation(),
                    error.reason(),
                    "snapshot " + s.dbSnapshotIdentifier() + ": " + error.message()));
      }
      out.add(
          new DbSnapshots.Snapshot(
              s.dbSnapshotIdentifier(),
              s.dbSnapshotArn(),
              s.snapshotType(),
              s.dbInstanceIdentifier(),
              publicRestore,
              tags(s.tagList())));
    }
    if (failures > 0 && failures == out.size()) {
      throw first;
    }
    return new DbSnapshots(out);
  }

  private static Map<String, String> tags(List<Tag> tags) {
    var out = new HashMap<String, String>();
    if (tags != null) {
      tags.forEach(t -> out.put(t.key(), t.value()));
    }
    return out;
  }
}
