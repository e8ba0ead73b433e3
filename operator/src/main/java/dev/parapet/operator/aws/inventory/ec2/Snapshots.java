package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.List;
import java.util.Map;

/**
 * The EBS snapshots owned by the account in one region. {@code publicRestore} comes from a second
 * DescribeSnapshots call filtered by {@code RestorableByUserIds=all} (two calls per region instead
 * of one DescribeSnapshotAttribute per snapshot).
 */
@DatasetSpec(service = "ec2", actions = "ec2:DescribeSnapshots")
public record Snapshots(List<Snapshot> snapshots) implements Dataset {

  public Snapshots {
    snapshots = List.copyOf(snapshots);
  }

  @Override
  public int resourceCount() {
    return snapshots.size();
  }

  /** One owned snapshot. */
  public record Snapshot(
      String snapshotId,
      String volumeId,
      boolean encrypted,
      boolean publicRestore,
      Map<String, String> tags) {
    public Snapshot {
      tags = Tags.copy(tags);
    }
  }
}
