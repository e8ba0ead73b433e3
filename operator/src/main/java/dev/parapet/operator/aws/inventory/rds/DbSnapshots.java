package dev.parapet.operator.aws.inventory.rds;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Tags;
import dev.parapet.operator.aws.inventory.Unknown;
import java.util.List;
import java.util.Map;

/**
 * The manual RDS DB snapshots of one region, each with whether its {@code restore} attribute
 * includes {@code all} (one DescribeDBSnapshotAttributes per snapshot: no list call returns it).
 */
@DatasetSpec(
    service = "rds",
    actions = {"rds:DescribeDBSnapshots", "rds:DescribeDBSnapshotAttributes"})
public record DbSnapshots(List<Snapshot> snapshots) implements Dataset {

  public DbSnapshots {
    snapshots = List.copyOf(snapshots);
  }

  @Override
  public int resourceCount() {
    return snapshots.size();
  }

  @Override
  public List<CollectionError> partialErrors() {
    return snapshots.stream()
        .filter(s -> s.publicRestore() instanceof Unknown<?>)
        .map(s -> ((Unknown<?>) s.publicRestore()).error())
        .toList();
  }

  /** One manual snapshot. */
  public record Snapshot(
      String id,
      String arn,
      String instanceId,
      Fact<Boolean> publicRestore,
      Map<String, String> tags) {
    public Snapshot {
      tags = Tags.copy(tags);
    }
  }
}
