package dev.parapet.operator.aws.rules.s3;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.s3.BucketPublicAccessBlocks;
import dev.parapet.operator.aws.inventory.s3.BucketTags;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 13: a bucket has no bucket-level Block Public Access, or not all four flags on. */
public final class BucketPublicAccessBlockOffRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-s3-bucket-public-access-block-off")
          .title(
              "S3 bucket does not block public access at bucket level",
              "S3 バケットでバケットレベルのブロックパブリックアクセスが有効になっていません")
          .remediation(
              "Turn on all four Block Public Access settings on the bucket (aws s3api"
                  + " put-public-access-block --bucket <name> --public-access-block-configuration"
                  + " BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true).",
              "バケットのブロックパブリックアクセス設定 4 項目をすべて有効にしてください (aws s3api"
                  + " put-public-access-block --bucket <name> --public-access-block-configuration"
                  + " BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-8")
          .severity(Severity.HIGH)
          .resourceType("AWS::S3::Bucket")
          .cis("2.1.4")
          .fsbp("S3.8")
          .reads(Buckets.class, BucketPublicAccessBlocks.class)
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
        view.get(BucketPublicAccessBlocks.class).byBucket(),
        results,
        (bucket, settings) -> {
          if (settings.allBlocked()) {
            return RuleResult.pass(bucket);
          }
          return RuleResult.fail(
              bucket,
              settings.configured()
                  ? "Bucket " + bucket.id() + " Block Public Access flags off: " + settings.off()
                  : "Bucket " + bucket.id() + " has no Block Public Access configuration");
        });
  }
}
