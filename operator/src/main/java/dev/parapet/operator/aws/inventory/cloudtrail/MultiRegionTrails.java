package dev.parapet.operator.aws.inventory.cloudtrail;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import java.util.List;
import java.util.Set;

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

  /**
   * A multi-region trail, whether it is logging, which management events it records, which S3
   * object-level (data) events it records, and the CloudWatch Logs log group it delivers to (null
   * when none).
   */
  public record Coverage(
      String name,
      String arn,
      String homeRegion,
      boolean logging,
      boolean managementReads,
      boolean managementWrites,
      S3DataEvents s3DataEvents,
      String logGroupArn) {

    public Coverage {
      s3DataEvents = s3DataEvents == null ? S3DataEvents.NONE : s3DataEvents;
    }

    /** Without data events and log group (fixtures of rules that do not read them). */
    public Coverage(
        String name,
        String arn,
        String homeRegion,
        boolean logging,
        boolean managementReads,
        boolean managementWrites) {
      this(
          name,
          arn,
          homeRegion,
          logging,
          managementReads,
          managementWrites,
          S3DataEvents.NONE,
          null);
    }

    public boolean complete() {
      return logging && managementReads && managementWrites;
    }
  }

  /**
   * The S3 object-level events a trail's selectors record, for reads and for writes: every bucket
   * ({@code all*}) or the buckets named whole (a selector on part of a bucket's keys, or on single
   * objects, does not count for the bucket).
   */
  public record S3DataEvents(
      boolean allReads, boolean allWrites, Set<String> readBuckets, Set<String> writeBuckets) {
    public static final S3DataEvents NONE = new S3DataEvents(false, false, Set.of(), Set.of());

    public S3DataEvents {
      readBuckets = Set.copyOf(readBuckets);
      writeBuckets = Set.copyOf(writeBuckets);
    }

    public boolean reads(String bucket) {
      return allReads || readBuckets.contains(bucket);
    }

    public boolean writes(String bucket) {
      return allWrites || writeBuckets.contains(bucket);
    }
  }
}
