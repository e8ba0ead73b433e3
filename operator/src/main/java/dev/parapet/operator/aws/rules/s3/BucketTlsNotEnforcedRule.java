package dev.parapet.operator.aws.rules.s3;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import dev.parapet.operator.aws.inventory.s3.BucketPolicies;
import dev.parapet.operator.aws.inventory.s3.BucketTags;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/**
 * Check 16: the bucket policy has no statement denying every principal all S3 actions ({@code s3:*}
 * or {@code *}) when {@code aws:SecureTransport} is false ({@code Bool} or {@code BoolIfExists}).
 */
public final class BucketTlsNotEnforcedRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-s3-bucket-tls-not-enforced")
          .title(
              "S3 bucket policy does not require TLS (no Deny for aws:SecureTransport=false)",
              "S3 バケットポリシーで TLS が必須になっていません (aws:SecureTransport=false の Deny がありません)")
          .remediation(
              "Add a bucket policy statement with Effect Deny, Principal *, Action s3:*, the bucket"
                  + " and its objects as Resource, and Condition Bool aws:SecureTransport false.",
              "Effect Deny、Principal *、Action s3:*、Resource にバケットとそのオブジェクト、Condition に"
                  + " Bool aws:SecureTransport false を指定したステートメントをバケットポリシーに追加してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::S3::Bucket")
          .cis("2.1.1")
          .fsbp("S3.5")
          .reads(Buckets.class, BucketPolicies.class)
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
        view.get(BucketPolicies.class).byBucket(),
        results,
        (bucket, policy) -> {
          if (!policy.present()) {
            return RuleResult.fail(bucket, "Bucket " + bucket.id() + " has no bucket policy");
          }
          if (policy.document().statements().stream().anyMatch(BucketTlsNotEnforcedRule::tlsOnly)) {
            return RuleResult.pass(bucket);
          }
          return RuleResult.fail(
              bucket,
              "Bucket "
                  + bucket.id()
                  + " policy has no Deny of s3:* for every principal when aws:SecureTransport is"
                  + " false");
        });
  }

  static boolean tlsOnly(PolicyDocument.Statement s) {
    if (!s.denies() || !s.principals().contains("*")) {
      return false;
    }
    if (s.actions().stream().noneMatch(a -> a.equals("*") || a.equalsIgnoreCase("s3:*"))) {
      return false;
    }
    for (var operator : List.of("Bool", "BoolIfExists")) {
      if (s.condition(operator, "aws:SecureTransport").stream()
          .anyMatch(v -> v.equalsIgnoreCase("false"))) {
        return true;
      }
    }
    return false;
  }
}
