package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.List;
import java.util.Map;

/** The EC2 instances of one region (all states except terminated). */
@DatasetSpec(service = "ec2", actions = "ec2:DescribeInstances")
public record Instances(List<Instance> instances) implements Dataset {

  public Instances {
    instances = List.copyOf(instances);
  }

  @Override
  public int resourceCount() {
    return instances.size();
  }

  /**
   * One instance with its metadata options: {@code httpTokens} is {@code required} or {@code
   * optional}; {@code httpEndpoint} is {@code enabled} or {@code disabled}; {@code
   * instanceProfileArn} is the attached IAM instance profile, null when none.
   */
  public record Instance(
      String instanceId,
      String state,
      String httpTokens,
      String httpEndpoint,
      String instanceProfileArn,
      Map<String, String> tags) {
    public Instance {
      tags = Tags.copy(tags);
    }

    /** Without an instance profile (fixtures of rules that do not read it). */
    public Instance(
        String instanceId,
        String state,
        String httpTokens,
        String httpEndpoint,
        Map<String, String> tags) {
      this(instanceId, state, httpTokens, httpEndpoint, null, tags);
    }
  }
}
