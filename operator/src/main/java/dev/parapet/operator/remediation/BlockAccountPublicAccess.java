package dev.parapet.operator.remediation;

import dev.parapet.operator.aws.collect.AwsSession;
import java.util.List;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3control.model.PutPublicAccessBlockRequest;
import software.amazon.awssdk.services.s3control.model.S3ControlException;

/** Turns on all four account-level S3 Block Public Access settings. */
public final class BlockAccountPublicAccess implements RemediationAction {

  @Override
  public String id() {
    return "s3-block-account-public-access";
  }

  @Override
  public String ruleId() {
    return "aws-s3-account-public-access-block-off";
  }

  @Override
  public List<String> iamActions() {
    return List.of("s3:GetAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock");
  }

  @Override
  public String summary() {
    return "Sets the account's four S3 Block Public Access settings to true (applies to every"
        + " bucket and access point of the account, present and future).";
  }

  @Override
  public String undo() {
    return "PutPublicAccessBlock (s3control) with the before values, or DeletePublicAccessBlock."
        + " Account-wide: every public bucket of the account stops being public at once.";
  }

  @Override
  public Plan plan(AwsSession session, Target target) {
    var before = read(session, target);
    if (before.equals(BlockBucketPublicAccess.ALL_ON)) {
      return Plan.skip(
          "every account-level Block Public Access setting is already on", before, null);
    }
    var request =
        PutPublicAccessBlockRequest.builder()
            .accountId(target.accountId())
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
            "s3:PutAccountPublicAccessBlock",
            "s3control put-public-access-block",
            target.region(),
            "account-id",
            target.accountId(),
            "public-access-block-configuration",
            BlockBucketPublicAccess.allOn()),
        before,
        null,
        request);
  }

  @Override
  public String apply(AwsSession session, Target target, Plan plan) {
    session
        .client(S3ControlClient.class)
        .putPublicAccessBlock((PutPublicAccessBlockRequest) plan.request());
    return read(session, target);
  }

  private static String read(AwsSession session, Target target) {
    try {
      var c =
          session
              .client(S3ControlClient.class)
              .getPublicAccessBlock(r -> r.accountId(target.accountId()))
              .publicAccessBlockConfiguration();
      return BlockBucketPublicAccess.describe(
          c.blockPublicAcls(),
          c.ignorePublicAcls(),
          c.blockPublicPolicy(),
          c.restrictPublicBuckets());
    } catch (S3ControlException e) {
      if ("NoSuchPublicAccessBlockConfiguration".equals(BlockBucketPublicAccess.code(e))) {
        return "no Block Public Access configuration";
      }
      throw e;
    }
  }
}
