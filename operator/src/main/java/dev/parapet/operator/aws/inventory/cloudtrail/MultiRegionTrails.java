package dev.parapet.operator.aws.inventory.cloudtrail;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import java.util.List;

/**
 * The multi-region trails that cover the account, read once: DescribeTrails with shadow trails in
 * the home region (a multi-region trail shows in every region), then GetTrailStatus and
 * GetEventSelectors for each in the trail's own home region.
 */
@DatasetSpec(
    service = "cloudtrail",
    global = true,
    actions = {
      "cloudtrail:DescribeTrails",
      "cloudtrail:GetTrailStatus",
      "cloudtrail:GetEventSelectors"
    })
public record MultiRegionTrails(List<Coverage> trails) implements Dataset {

  public MultiRegionTrails {
    trails = List.copyOf(trails);
  }

  @Override
  public int resourceCount() {
    return 0; // counted by Trails in their home regions
  }

  /** A multi-region trail, whether it is logging, and which management events it records. */
  public record Coverage(
      String name,
      String arn,
      String homeRegion,
      boolean logging,
      boolean managementReads,
      boolean managementWrites) {

    public boolean complete() {
      return logging && managementReads && managementWrites;
    }
  }
}
