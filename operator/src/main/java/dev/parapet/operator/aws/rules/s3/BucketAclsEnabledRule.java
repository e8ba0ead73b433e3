package dev.parapet.operator.aws.rules.s3;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.s3.BucketOwnership;
import dev.parapet.operator.aws.inventory.s3.BucketTags;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 15: Object Ownership is not BucketOwnerEnforced, so ACLs still grant access. */
public final class BucketAclsEnabledRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-s3-bucket-acls-enabled")
          .title(
              "S3 bucket still uses ACLs (Object Ownership is not BucketOwnerEnforced)",
              "S3 バケットで ACL が有効です (オブジェクト所有者が BucketOwnerEnforced ではありません)")
          .remediation(
              "Set Object Ownership to BucketOwnerEnforced (aws s3api put-bucket-ownership-controls"
                  + " --bucket <name> --ownership-controls Rules=[{ObjectOwnership=BucketOwnerEnforced}]).",
              "オブジェクト所有者を BucketOwnerEnforced に設定してください (aws s3api"
                  + " put-bucket-ownership-controls --bucket <name> --ownership-controls"
                  + " Rules=[{ObjectOwnership=BucketOwnerEnforced}])。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-12")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::S3::Bucket")
          .fsbp("S3.12")
          .reads(Buckets.class, BucketOwnership.class)
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
        view.get(BucketOwnership.class).byBucket(),
        results,
        (bucket, ownership) ->
            ownership.aclsDisabled()
                ? RuleResult.pass(bucket)
                : RuleResult.fail(
                    bucket,
                    "Bucket "
                        + bucket.id()
                        + " Object Ownership is "
                        + (ownership.objectOwnership() == null
                            ? "not configured (ObjectWriter)"
                            : ownership.objectOwnership())));
  }
}
