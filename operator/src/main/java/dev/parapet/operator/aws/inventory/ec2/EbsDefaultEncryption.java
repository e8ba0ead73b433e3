package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;

/** Whether new EBS volumes in one region are encrypted by default. */
@DatasetSpec(service = "ec2", actions = "ec2:GetEbsEncryptionByDefault")
public record EbsDefaultEncryption(boolean enabled) implements Dataset {

  @Override
  public int resourceCount() {
    return 1;
  }
}
