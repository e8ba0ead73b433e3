package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Tags;
import dev.parapet.operator.aws.inventory.Unknown;
import java.util.List;
import java.util.Map;

/**
 * The EBS snapshots owned by the account in one region: only those whose returned {@code OwnerId}
 * is the scanned account (the {@code OwnerIds=self} filter is a saving, not a guarantee). {@code
 * publicRestore} is true only when DescribeSnapshotAttribute's createVolumePermission names the
 * group {@code all}; it is asked only for the candidates a second DescribeSnapshots filtered by
 * {@code RestorableByUserIds=all} returned (on AWS: the public ones), so a region costs two list
 * calls plus one per candidate. A snapshot that is no candidate is known private; a candidate whose
 * attribute could not be read is unknown.
 */
@DatasetSpec(
    service = "ec2",
    actions = {"ec2:DescribeSnapshots", "ec2:DescribeSnapshotAttribute"})
public record Snapshots(List<Snapshot> snapshots) implements Dataset {

  public Snapshots {
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

  /** One owned snapshot. */
  public record Snapshot(
      String snapshotId,
      String ownerId,
      String volumeId,
      boolean encrypted,
      Fact<Boolean> publicRestore,
      Map<String, String> tags) {
    public Snapshot {
      tags = Tags.copy(tags);
    }
  }
}
