package dev.parapet.operator.remediation;

import dev.parapet.operator.aws.collect.AwsSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.PutPublicAccessBlockRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns on all four Block Public Access settings of one bucket. */
public final class BlockBucketPublicAccess implements RemediationAction {

  @Override
  public String id() {
    return "s3-block-bucket-public-access";
  }

  @Override
  public String ruleId() {
    return "aws-s3-bucket-public-access-block-off";
  }

  @Override
  public List<String> iamActions() {
    return List.of(
        "s3:GetBucketPublicAccessBlock", "s3:GetBucketTagging", "s3:PutBucketPublicAccessBlock");
  }

  @Override
  public String summary() {
    return "Sets the bucket's BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and"
        + " RestrictPublicBuckets to true; the bucket policy and ACLs themselves are not changed.";
  }

  @Override
  public String undo() {
    return "PutPublicAccessBlock with the before values (or DeletePublicAccessBlock when there was"
        + " none). While it is on, public ACLs are ignored and public policies are refused:"
        + " anonymous readers of a public website bucket lose access at once.";
  }

  @Override
  public Plan plan(AwsSession session, Target target) {
    var s3 = session.client(S3Client.class, target.region());
    var bucket = target.resourceId();
    var tags = new LinkedHashMap<String, String>();
    try {
      s3.getBucketTagging(r -> r.bucket(bucket))
          .tagSet()
          .forEach(t -> tags.put(t.key(), t.value()));
    } catch (S3Exception e) {
      if (!"NoSuchTagSet".equals(code(e))) {
        throw e;
      }
    }
    var before = read(session, target);
    if (before.equals(ALL_ON)) {
      return Plan.skip("every Block Public Access setting is already on", before, tags);
    }
    var request =
        PutPublicAccessBlockRequest.builder()
            .bucket(bucket)
            .publicAccessBlockConfiguration(
                PublicAccessBlockConfiguration.builder()
                    .blockPublicAcls(true)
                    .ignorePublicAcls(true)
                    .blockPublicPolicy(true)
                    .restrictPublicBuckets(true)
                    .build())
            .build();
    return Plan.call(
        Calls.render(
            "s3:PutBucketPublicAccessBlock",
            "s3api put-public-access-block",
            target.region(),
            "bucket",
            bucket,
            "public-access-block-configuration",
            allOn()),
        before,
        tags,
        request);
  }

  @Override
  public String apply(AwsSession session, Target target, Plan plan) {
    session
        .client(S3Client.class, target.region())
        .putPublicAccessBlock((PutPublicAccessBlockRequest) plan.request());
    return read(session, target);
  }

  static final String ALL_ON =
      "BlockPublicAcls=true, IgnorePublicAcls=true, BlockPublicPolicy=true,"
          + " RestrictPublicBuckets=true";

  static Map<String, Object> allOn() {
    return Calls.map(
        "BlockPublicAcls", true,
        "IgnorePublicAcls", true,
        "BlockPublicPolicy", true,
        "RestrictPublicBuckets", true);
  }

  private static String read(AwsSession session, Target target) {
    try {
      var c =
          session
              .client(S3Client.class, target.region())
              .getPublicAccessBlock(r -> r.bucket(target.resourceId()))
              .publicAccessBlockConfiguration();
      return describe(
          c.blockPublicAcls(),
          c.ignorePublicAcls(),
          c.blockPublicPolicy(),
          c.restrictPublicBuckets());
    } catch (S3Exception e) {
      if ("NoSuchPublicAccessBlockConfiguration".equals(code(e))) {
        return "no Block Public Access configuration";
      }
      throw e;
    }
  }

  static String describe(Boolean acls, Boolean ignore, Boolean policy, Boolean restrict) {
    return "BlockPublicAcls="
        + Boolean.TRUE.equals(acls)
        + ", IgnorePublicAcls="
        + Boolean.TRUE.equals(ignore)
        + ", BlockPublicPolicy="
        + Boolean.TRUE.equals(policy)
        + ", RestrictPublicBuckets="
        + Boolean.TRUE.equals(restrict);
  }

  static String code(software.amazon.awssdk.awscore.exception.AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }
}
