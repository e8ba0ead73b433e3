package dev.parapet.operator.aws.inventory.rds;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.List;
import java.util.Map;

/** The RDS DB instances of one region (DescribeDBInstances). */
@DatasetSpec(service = "rds", actions = "rds:DescribeDBInstances")
public record DbInstances(List<Instance> instances) implements Dataset {

  public DbInstances {
    instances = List.copyOf(instances);
  }

  @Override
  public int resourceCount() {
    return instances.size();
  }

  /**
   * One DB instance. {@code autoMinorVersionUpgrade} and {@code multiAz} are null when the answer
   * did not carry them.
   */
  public record Instance(
      String id,
      String arn,
      String engine,
      boolean publiclyAccessible,
      boolean storageEncrypted,
      Boolean autoMinorVersionUpgrade,
      Boolean multiAz,
      Map<String, String> tags) {
    public Instance {
      tags = Tags.copy(tags);
    }

    /** Without the maintenance and availability settings (fixtures of rules not reading them). */
    public Instance(
        String id,
        String arn,
        String engine,
        boolean publiclyAccessible,
        boolean storageEncrypted,
        Map<String, String> tags) {
      this(id, arn, engine, publiclyAccessible, storageEncrypted, null, null, tags);
    }
  }
}
