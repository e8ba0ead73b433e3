package dev.parapet.operator.aws.rules.s3;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.s3.BucketTags;
import dev.parapet.operator.aws.inventory.s3.BucketVersioning;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 17: bucket versioning is not Enabled (never enabled, or Suspended). */
public final class BucketVersioningOffRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-s3-bucket-versioning-off")
          .title("S3 bucket versioning is not enabled", "S3 バケットのバージョニングが有効になっていません")
          .remediation(
              "Enable versioning on the bucket (aws s3api put-bucket-versioning --bucket <name>"
                  + " --versioning-configuration Status=Enabled).",
              "バケットのバージョニングを有効にしてください (aws s3api put-bucket-versioning --bucket <name>"
                  + " --versioning-configuration Status=Enabled)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-14")
          .severity(Severity.LOW)
          .resourceType("AWS::S3::Bucket")
          .fsbp("S3.14")
          .reads(Buckets.class, BucketVersioning.class)
          .tagsFrom(BucketTags.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    BucketResults.each(
        view,
        view.get(BucketVersioning.class).byBucket(),
        results,
        (bucket, versioning) ->
            versioning.enabled()
                ? RuleResult.pass(bucket)
                : RuleResult.fail(
                    bucket, "Bucket " + bucket.id() + " versioning is " + versioning.status()));
  }
}
