package dev.parapet.operator.aws.inventory.s3;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;

/** The account-level S3 Block Public Access settings (S3 Control, once per account). */
@DatasetSpec(service = "s3", global = true, actions = "s3:GetAccountPublicAccessBlock")
public record AccountPublicAccessBlock(PublicAccessBlock settings) implements Dataset {

  @Override
  public int resourceCount() {
    return 1;
  }
}
