package dev.parapet.operator.aws.inventory.cloudtrail;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import java.util.List;

/** The CloudTrail trails whose home is one region (DescribeTrails without shadow trails). */
@DatasetSpec(service = "cloudtrail", actions = "cloudtrail:DescribeTrails")
public record Trails(List<Trail> trails) implements Dataset {

  public Trails {
    trails = List.copyOf(trails);
  }

  @Override
  public int resourceCount() {
    return trails.size();
  }

  /** One trail as DescribeTrails reports it. */
  public record Trail(
      String name,
      String arn,
      String homeRegion,
      boolean multiRegion,
      boolean organizationTrail,
      boolean logFileValidation) {}
}
