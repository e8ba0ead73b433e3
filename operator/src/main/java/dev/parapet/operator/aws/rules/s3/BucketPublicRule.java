package dev.parapet.operator.aws.rules.s3;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.Unknown;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.s3.AccountPublicAccessBlock;
import dev.parapet.operator.aws.inventory.s3.BucketAcls;
import dev.parapet.operator.aws.inventory.s3.BucketPolicies;
import dev.parapet.operator.aws.inventory.s3.BucketPublicAccessBlocks;
import dev.parapet.operator.aws.inventory.s3.BucketTags;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.inventory.s3.PublicAccessBlock;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Check 14: a bucket is public through its policy (AWS's GetBucketPolicyStatus verdict) or its ACL
 * (grants to AllUsers / AuthenticatedUsers), and Block Public Access (bucket or account) does not
 * neutralise it: RestrictPublicBuckets voids a public policy, IgnorePublicAcls voids public ACLs.
 */
public final class BucketPublicRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-s3-bucket-public")
          .title(
              "S3 bucket is public through its bucket policy or ACL",
              "S3 バケットがバケットポリシーまたは ACL により公開されています")
          .remediation(
              "Remove public principals from the bucket policy and public grants from the ACL,"
                  + " then turn on Block Public Access for the bucket and the account.",
              "バケットポリシーから公開プリンシパルを、ACL から公開権限を削除し、バケットとアカウントの" + "ブロックパブリックアクセスを有効にしてください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-2")
          .severity(Severity.CRITICAL)
          .resourceType("AWS::S3::Bucket")
          .fsbp("S3.2", "S3.3")
          .reads(
              Buckets.class,
              BucketPolicies.class,
              BucketAcls.class,
              BucketPublicAccessBlocks.class,
              AccountPublicAccessBlock.class)
          .tagsFrom(BucketTags.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var account = view.get(AccountPublicAccessBlock.class).settings();
    var acls = view.get(BucketAcls.class).byBucket();
    var blocks = view.get(BucketPublicAccessBlocks.class).byBucket();
    // Judge on the policy; the ACL and the bucket's BPA must be known too, else UNKNOWN.
    BucketResults.each(
        view,
        view.get(BucketPolicies.class).byBucket(),
        results,
        (bucket, policy) -> {
          var acl = acls.get(bucket.id());
          var block = blocks.get(bucket.id());
          if (!(acl instanceof Known<BucketAcls.Acl> knownAcl)) {
            return unknownFrom(bucket, acl);
          }
          if (!(block instanceof Known<PublicAccessBlock> knownBlock)) {
            return unknownFrom(bucket, block);
          }
          var bucketBlock = knownBlock.value();
          var reasons = new ArrayList<String>();
          if (policy.isPublic()
              && !bucketBlock.restrictPublicBuckets()
              && !account.restrictPublicBuckets()) {
            reasons.add("its bucket policy grants public access");
          }
          if (!knownAcl.value().publicGrants().isEmpty()
              && !bucketBlock.ignorePublicAcls()
              && !account.ignorePublicAcls()) {
            reasons.add("its ACL grants " + knownAcl.value().publicGrants());
          }
          if (reasons.isEmpty()) {
            return RuleResult.pass(bucket);
          }
          return RuleResult.fail(
              bucket, "Bucket " + bucket.id() + " is public: " + String.join("; ", reasons));
        });
  }

  private static RuleResult unknownFrom(Resource bucket, Fact<?> fact) {
    if (fact instanceof Unknown<?> u) {
      return RuleResult.unknown(bucket.region(), u.error());
    }
    return RuleResult.unknown(
        bucket.region(),
        new CollectionError(
            "s3",
            bucket.region(),
            "",
            UnknownReason.Error,
            "bucket " + bucket.id() + " was not read"));
  }
}
