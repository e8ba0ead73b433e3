package dev.parapet.operator.aws.inventory.cis;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.List;
import java.util.Map;

/** The EFS file systems of one region the account owns (DescribeFileSystems, paginated). */
@DatasetSpec(service = "efs", actions = "elasticfilesystem:DescribeFileSystems")
public record EfsFileSystems(List<FileSystem> fileSystems) implements Dataset {

  public EfsFileSystems {
    fileSystems = List.copyOf(fileSystems);
  }

  @Override
  public int resourceCount() {
    return fileSystems.size();
  }

  /** One file system; {@code encrypted} is null when the answer did not say. */
  public record FileSystem(
      String id, String arn, String ownerId, Boolean encrypted, Map<String, String> tags) {
    public FileSystem {
      tags = Tags.copy(tags);
    }
  }
}
