package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.List;
import java.util.Map;

/** The EBS volumes of one region. */
@DatasetSpec(service = "ec2", actions = "ec2:DescribeVolumes")
public record Volumes(List<Volume> volumes) implements Dataset {

  public Volumes {
    volumes = List.copyOf(volumes);
  }

  @Override
  public int resourceCount() {
    return volumes.size();
  }

  /** One volume and the instances it is attached to. */
  public record Volume(
      String volumeId, boolean encrypted, List<String> attachedTo, Map<String, String> tags) {
    public Volume {
      attachedTo = List.copyOf(attachedTo);
      tags = Tags.copy(tags);
    }
  }
}
