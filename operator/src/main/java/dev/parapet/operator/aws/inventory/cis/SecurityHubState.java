package dev.parapet.operator.aws.inventory.cis;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;

/**
 * Whether Security Hub is enabled in one region (DescribeHub: a hub ARN, or InvalidAccessException
 * "not subscribed", which is read as disabled; any other error leaves the region unknown).
 */
@DatasetSpec(service = "securityhub", actions = "securityhub:DescribeHub")
public record SecurityHubState(boolean enabled, String hubArn) implements Dataset {
  @Override
  public int resourceCount() {
    return 1;
  }
}
