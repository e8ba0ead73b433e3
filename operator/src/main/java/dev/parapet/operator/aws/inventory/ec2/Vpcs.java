package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.List;
import java.util.Map;

/** The VPCs of one region. */
@DatasetSpec(service = "ec2", actions = "ec2:DescribeVpcs")
public record Vpcs(List<Vpc> vpcs) implements Dataset {

  public Vpcs {
    vpcs = List.copyOf(vpcs);
  }

  @Override
  public int resourceCount() {
    return vpcs.size();
  }

  /** One VPC. */
  public record Vpc(String vpcId, boolean isDefault, Map<String, String> tags) {
    public Vpc {
      tags = Tags.copy(tags);
    }
  }
}
