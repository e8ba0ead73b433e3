package dev.parapet.operator.aws.inventory.cloudtrail;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Ownership;
import java.util.List;

/**
 * The CloudTrail trails whose home is one region and whose owner is the account (DescribeTrails
 * without shadow trails; the filter is not trusted, see {@link #homedHere}).
 */
@DatasetSpec(service = "cloudtrail", actions = "cloudtrail:DescribeTrails")
public record Trails(List<Trail> trails) implements Dataset {

  public Trails {
    trails = List.copyOf(trails);
  }

  @Override
  public int resourceCount() {
    return trails.size();
  }

  /**
   * Whether a returned trail is homed in {@code region} and owned by the account (the account field
   * of its ARN): a shadow trail, or an organization trail another account owns, is judged where it
   * lives, whatever {@code IncludeShadowTrails=false} promised.
   */
  public static boolean homedHere(Trail t, String region, String accountId) {
    return (t.homeRegion() == null || t.homeRegion().equals(region))
        && (t.arn() == null || Ownership.arnOwnedBy(t.arn(), accountId));
  }

  /**
   * One trail as DescribeTrails reports it; {@code kmsKeyId} is null when its logs are not
   * encrypted with SSE-KMS; {@code s3BucketName} is the bucket its logs are delivered to.
   */
  public record Trail(
      String name,
      String arn,
      String homeRegion,
      boolean multiRegion,
      boolean organizationTrail,
      boolean logFileValidation,
      String kmsKeyId,
      String s3BucketName) {

    /** Without the log bucket (fixtures of rules that do not read it). */
    public Trail(
        String name,
        String arn,
        String homeRegion,
        boolean multiRegion,
        boolean organizationTrail,
        boolean logFileValidation,
        String kmsKeyId) {
      this(
          name, arn, homeRegion, multiRegion, organizationTrail, logFileValidation, kmsKeyId, null);
    }

    /** Without the KMS key (fixtures of rules that do not read it). */
    public Trail(
        String name,
        String arn,
        String homeRegion,
        boolean multiRegion,
        boolean organizationTrail,
        boolean logFileValidation) {
      this(name, arn, homeRegion, multiRegion, organizationTrail, logFileValidation, null);
    }
  }
}
