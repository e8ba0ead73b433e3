package dev.parapet.operator.aws.inventory.rds;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Ownership;
import dev.parapet.operator.aws.inventory.Tags;
import dev.parapet.operator.aws.inventory.Unknown;
import java.util.List;
import java.util.Map;

/**
 * The manual RDS DB snapshots of one region, each with whether its {@code restore} attribute
 * includes {@code all} (one DescribeDBSnapshotAttributes per snapshot: no list call returns it).
 * Only the snapshots {@link #judged judged} are kept: the request's {@code SnapshotType=manual} is
 * not trusted to exclude automated snapshots or other accounts' shared and public ones.
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

  /**
   * Whether a returned snapshot is one of the account's manual snapshots: its type is {@code
   * manual} (or absent) and its owner, the account field of its ARN (or of its identifier, which is
   * an ARN for another account's snapshot), is the scanned account. A snapshot with neither an ARN
   * nor an ARN identifier is the account's own (AWS names others' snapshots by ARN).
   */
  public static boolean judged(Snapshot s, String accountId) {
    if (s.type() != null && !"manual".equals(s.type())) {
      return false;
    }
    if (s.arn() != null) {
      return Ownership.arnOwnedBy(s.arn(), accountId);
    }
    return s.id() == null || !s.id().startsWith("arn:") || Ownership.arnOwnedBy(s.id(), accountId);
  }

  /** One manual snapshot. */
  public record Snapshot(
      String id,
      String arn,
      String type,
      String instanceId,
      Fact<Boolean> publicRestore,
      Map<String, String> tags) {
    public Snapshot {
      tags = Tags.copy(tags);
    }
  }
}
