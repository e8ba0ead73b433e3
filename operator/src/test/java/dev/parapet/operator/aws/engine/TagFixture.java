package dev.parapet.operator.aws.engine;

import dev.parapet.testing.AwsSeed;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One tagged violator and one untagged twin per resource kind whose tags come from a tags-only
 * dataset: S3 buckets (versioning off), IAM users (console password, no MFA), IAM roles (inline
 * admin policy), KMS keys (rotation off) and CloudTrail trails (log validation off). The tagged
 * ones carry {@code risk=accepted}.
 */
public final class TagFixture {
  public static final String REGION = "us-east-1";
  public static final String BUCKETS = "aws-s3-bucket-versioning-off";
  public static final String USERS = "aws-iam-console-user-without-mfa";
  public static final String ADMIN = "aws-iam-admin-policy-attached";
  public static final String KEYS = "aws-kms-rotation-off";
  public static final String TRAILS = "aws-cloudtrail-log-validation-off";
  public static final List<String> RULES = List.of(BUCKETS, USERS, ADMIN, KEYS, TRAILS);

  public static final Map<String, String> TAG = Map.of("risk", "accepted");

  public static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
          + "\"Resource\":\"*\"}]}";
  public static final String TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  /** Key ids: tagged, untagged (KMS picks them). */
  public final String taggedKey;

  public final String untaggedKey;

  private TagFixture(String taggedKey, String untaggedKey) {
    this.taggedKey = taggedKey;
    this.untaggedKey = untaggedKey;
  }

  public static TagFixture seed(URI endpoint) {
    var seed = new AwsSeed(endpoint);
    try (var s3 = seed.s3(REGION);
        var iam = seed.iam();
        var kms = seed.kms(REGION);
        var trails = seed.cloudTrail(REGION)) {
      s3.createBucket(b -> b.bucket("tagged-bucket"));
      s3.putBucketTagging(
          b ->
              b.bucket("tagged-bucket")
                  .tagging(
                      t ->
                          t.tagSet(
                              s -> s.key("risk").value("accepted"),
                              s -> s.key("team").value("data"))));
      s3.createBucket(b -> b.bucket("untagged-bucket"));

      iam.createUser(b -> b.userName("tagged-user").tags(t -> t.key("risk").value("accepted")));
      iam.createLoginProfile(b -> b.userName("tagged-user").password("Example-Passw0rd!"));
      iam.createUser(b -> b.userName("untagged-user"));
      iam.createLoginProfile(b -> b.userName("untagged-user").password("Example-Passw0rd!"));
      iam.createRole(
          b ->
              b.roleName("tagged-role")
                  .assumeRolePolicyDocument(TRUST)
                  .tags(t -> t.key("risk").value("accepted")));
      iam.putRolePolicy(b -> b.roleName("tagged-role").policyName("admin").policyDocument(POLICY));
      iam.createRole(b -> b.roleName("untagged-role").assumeRolePolicyDocument(TRUST));
      iam.putRolePolicy(
          b -> b.roleName("untagged-role").policyName("admin").policyDocument(POLICY));

      var tagged =
          kms.createKey(
                  b -> b.description("tagged").tags(t -> t.tagKey("risk").tagValue("accepted")))
              .keyMetadata()
              .keyId();
      var untagged = kms.createKey(b -> b.description("untagged")).keyMetadata().keyId();

      s3.createBucket(b -> b.bucket("trail-logs"));
      trails.createTrail(
          b ->
              b.name("tagged-trail")
                  .s3BucketName("trail-logs")
                  .tagsList(t -> t.key("risk").value("accepted")));
      trails.createTrail(b -> b.name("untagged-trail").s3BucketName("trail-logs"));
      return new TagFixture(tagged, untagged);
    }
  }
}
