package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;

/**
 * The region's snapshot block-public-access state: {@code block-all-sharing}, {@code
 * block-new-sharing} or {@code unblocked}.
 */
@DatasetSpec(service = "ec2", actions = "ec2:GetSnapshotBlockPublicAccessState")
public record SnapshotBlockPublicAccess(String state) implements Dataset {

  public static final String BLOCK_ALL = "block-all-sharing";

  @Override
  public int resourceCount() {
    return 1;
  }
}
