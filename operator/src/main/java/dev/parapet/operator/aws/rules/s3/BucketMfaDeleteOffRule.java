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

/**
 * CIS 2.1.2: a bucket's versioning configuration does not have both versioning and MFA Delete
 * enabled. Judged on the GetBucketVersioning answer the versioning rule already reads: S3 returns
 * {@code MFADelete} only for a bucket ever configured with it, so its absence means MFA Delete was
 * never enabled (moto never returns it, so on moto every bucket fails; the passing fixture is a
 * canned answer).
 */
public final class BucketMfaDeleteOffRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-s3-bucket-mfa-delete-off")
          .title("S3 bucket does not have MFA Delete enabled", "S3 バケットで MFA Delete が有効になっていません")
          .remediation(
              "As the root user with its MFA device, enable versioning with MFA Delete (aws s3api"
                  + " put-bucket-versioning --bucket <name> --versioning-configuration"
                  + " Status=Enabled,MFADelete=Enabled --mfa \"<mfa-serial> <code>\").",
              "ルートユーザーとその MFA デバイスで、MFA Delete 付きのバージョニングを有効にしてください (aws s3api"
                  + " put-bucket-versioning --bucket <name> --versioning-configuration"
                  + " Status=Enabled,MFADelete=Enabled --mfa \"<mfa-serial> <code>\")。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-20")
          .severity(Severity.LOW)
          .resourceType("AWS::S3::Bucket")
          .cis("2.1.2")
          .fsbp("S3.20")
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
        (bucket, versioning) -> {
          if (versioning.enabled() && versioning.mfaDeleteEnabled()) {
            return RuleResult.pass(bucket);
          }
          return RuleResult.fail(
              bucket,
              "Bucket "
                  + bucket.id()
                  + " versioning is "
                  + versioning.status()
                  + ", MFA Delete is "
                  + (versioning.mfaDelete() == null
                      ? "not configured (never enabled)"
                      : versioning.mfaDelete()));
        });
  }
}
