package dev.parapet.operator.aws.rules.s3;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.endpoints.S3ControlEndpointProvider;

/**
 * S3 rules (checks 13-17) end to end against moto. Buckets are account-wide, so the class seeds one
 * clean bucket ("good") and one violator per check once, scans once, and each test asserts the
 * exact set of FAILs of one rule: the violators, never the clean twin. Check 12 (account BPA) flips
 * the account setting inside its own test.
 */
class S3RulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  static final List<String> S3_RULES =
      List.of(
          "aws-s3-bucket-public-access-block-off",
          "aws-s3-bucket-public",
          "aws-s3-bucket-acls-enabled",
          "aws-s3-bucket-tls-not-enforced",
          "aws-s3-bucket-versioning-off");

  static ScanReport report;

  @BeforeAll
  static void seedAndScan() {
    var moto = MOTO.server();
    var seed = new AwsSeed(moto);
    try (var us = seed.s3("us-east-1");
        var eu = seed.s3("eu-west-1")) {
      clean(us, "good", "us-east-1");
      clean(eu, "bad-bpa", "eu-west-1");
      eu.deletePublicAccessBlock(b -> b.bucket("bad-bpa"));

      clean(us, "bad-policy-public", "us-east-1");
      us.deletePublicAccessBlock(b -> b.bucket("bad-policy-public"));
      us.putBucketPolicy(
          b ->
              b.bucket("bad-policy-public")
                  .policy(
                      "{\"Version\":\"2012-10-17\",\"Statement\":["
                          + tlsStatement("bad-policy-public")
                          + ",{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                          + "\"Resource\":\"arn:aws:s3:::bad-policy-public/*\"}]}"));

      clean(us, "bad-acl", "us-east-1");
      us.deletePublicAccessBlock(b -> b.bucket("bad-acl"));
      us.deleteBucketOwnershipControls(b -> b.bucket("bad-acl"));
      AwsSeed.grantAllUsersRead(us, "bad-acl");

      clean(us, "bad-notls", "us-east-1");
      us.deleteBucketPolicy(b -> b.bucket("bad-notls"));

      clean(us, "bad-versioning", "us-east-1");
      us.putBucketVersioning(
          b ->
              b.bucket("bad-versioning")
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
    }
    report =
        MotoScans.scan(
            moto,
            List.of("us-east-1", "eu-west-1"),
            CloudPolicy.only(S3_RULES.toArray(String[]::new)));
  }

  /** A bucket that passes every S3 check. */
  private static void clean(S3Client s3, String name, String region) {
    if ("us-east-1".equals(region)) {
      s3.createBucket(b -> b.bucket(name));
    } else {
      s3.createBucket(
          b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint(region)));
    }
    s3.putPublicAccessBlock(
        b ->
            b.bucket(name)
                .publicAccessBlockConfiguration(
                    c ->
                        c.blockPublicAcls(true)
                            .ignorePublicAcls(true)
                            .blockPublicPolicy(true)
                            .restrictPublicBuckets(true)));
    s3.putBucketOwnershipControls(
        b ->
            b.bucket(name)
                .ownershipControls(
                    o -> o.rules(r -> r.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED))));
    s3.putBucketPolicy(
        b ->
            b.bucket(name)
                .policy("{\"Version\":\"2012-10-17\",\"Statement\":[" + tlsStatement(name) + "]}"));
    s3.putBucketVersioning(
        b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
  }

  private static String tlsStatement(String bucket) {
    return "{\"Sid\":\"TlsOnly\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
        + "\"Resource\":[\"arn:aws:s3:::"
        + bucket
        + "\",\"arn:aws:s3:::"
        + bucket
        + "/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}";
  }

  @Test
  void nothingIsUnknown() {
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void bucketBlockPublicAccessOffFailsTheBucketsWithoutIt() {
    var rule = "aws-s3-bucket-public-access-block-off";
    assertThat(failedIds(report, rule))
        .containsExactlyInAnyOrder("bad-bpa", "bad-policy-public", "bad-acl");
    assertThat(passedIds(report, rule)).contains("good");
    var euBucket =
        report.failures().stream()
            .filter(r -> r.ruleId().equals(rule) && r.resource().id().equals("bad-bpa"))
            .findFirst()
            .orElseThrow();
    assertThat(euBucket.region()).isEqualTo("eu-west-1");
    assertThat(euBucket.resource().arn()).isEqualTo("arn:aws:s3:::bad-bpa");
  }

  @Test
  void publicBucketFailsThroughPolicyAndThroughAcl() {
    var rule = "aws-s3-bucket-public";
    assertThat(failedIds(report, rule)).containsExactlyInAnyOrder("bad-policy-public", "bad-acl");
    assertThat(passedIds(report, rule)).contains("good");
    assertThat(evidence(rule, "bad-acl")).contains("AllUsers:READ");
    assertThat(evidence(rule, "bad-policy-public")).contains("bucket policy");
  }

  @Test
  void aclsEnabledFailsOnlyTheBucketWithoutOwnershipControls() {
    assertThat(failedIds(report, "aws-s3-bucket-acls-enabled")).containsExactly("bad-acl");
    assertThat(passedIds(report, "aws-s3-bucket-acls-enabled")).contains("good");
  }

  @Test
  void tlsNotEnforcedFailsOnlyTheBucketWithoutTheDeny() {
    assertThat(failedIds(report, "aws-s3-bucket-tls-not-enforced")).containsExactly("bad-notls");
    assertThat(passedIds(report, "aws-s3-bucket-tls-not-enforced")).contains("good");
  }

  @Test
  void versioningOffFailsOnlyTheSuspendedBucket() {
    assertThat(failedIds(report, "aws-s3-bucket-versioning-off")).containsExactly("bad-versioning");
    assertThat(passedIds(report, "aws-s3-bucket-versioning-off")).contains("good");
  }

  /**
   * Exact calls for 6 buckets (one with no policy) on a two-region scan: the account-wide reads
   * once (not per region), GetBucketLocation once per bucket (moto's ListBuckets omits
   * BucketRegion, which real S3 returns and which then saves these calls), one call per bucket per
   * setting, GetBucketPolicyStatus only for the 5 buckets that have a policy, and GetBucketTagging
   * once per bucket (its tags, read for exceptions; no S3 call reads several buckets' tags).
   */
  @Test
  void apiCallsAreExactlyOnePerBucketPerSetting() {
    assertThat(report.apiCalls())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.ofEntries(
                java.util.Map.entry("sts:GetCallerIdentity", 1L),
                java.util.Map.entry("s3:ListBuckets", 1L),
                java.util.Map.entry("s3:GetBucketLocation", 6L),
                java.util.Map.entry("s3:GetPublicAccessBlock", 6L),
                java.util.Map.entry("s3:GetBucketPolicy", 6L),
                java.util.Map.entry("s3:GetBucketPolicyStatus", 5L),
                java.util.Map.entry("s3:GetBucketAcl", 6L),
                java.util.Map.entry("s3:GetBucketOwnershipControls", 6L),
                java.util.Map.entry("s3:GetBucketVersioning", 6L),
                java.util.Map.entry("s3:GetBucketTagging", 6L),
                java.util.Map.entry("s3control:GetPublicAccessBlock", 1L)));
  }

  @Test
  void accountBlockPublicAccessFailsWhenAbsentAndPassesWhenAllFourAreOn() {
    var moto = MOTO.server();
    var rule = "aws-s3-account-public-access-block-off";
    var absent = MotoScans.scan(moto, List.of("us-east-1"), CloudPolicy.only(rule));
    assertThat(absent.failures())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.ruleId()).isEqualTo(rule);
              assertThat(r.resource().id()).isEqualTo(MotoServer.ACCOUNT_ID);
            });
    try (var control = s3control(moto)) {
      control.putPublicAccessBlock(
          b ->
              b.accountId(MotoServer.ACCOUNT_ID)
                  .publicAccessBlockConfiguration(
                      c ->
                          c.blockPublicAcls(true)
                              .ignorePublicAcls(true)
                              .blockPublicPolicy(true)
                              .restrictPublicBuckets(true)));
      try {
        var on = MotoScans.scan(moto, List.of("us-east-1"), CloudPolicy.only(rule));
        assertThat(on.failures()).isEmpty();
        assertThat(passedIds(on, rule)).containsExactly(MotoServer.ACCOUNT_ID);
      } finally {
        control.deletePublicAccessBlock(b -> b.accountId(MotoServer.ACCOUNT_ID));
      }
    }
  }

  /**
   * AwsSeed's S3 Control client puts the account id in front of moto's IP host, which the SDK
   * rejects ("host must not be null"); this one keeps the rules' path on moto's host, like the
   * engine's client does.
   */
  private static S3ControlClient s3control(MotoServer moto) {
    var rules = S3ControlEndpointProvider.defaultProvider();
    return S3ControlClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
        .httpClient(UrlConnectionHttpClient.create())
        .endpointProvider(
            params ->
                rules
                    .resolveEndpoint(params)
                    .thenApply(
                        e ->
                            e.toBuilder()
                                .url(moto.endpoint().resolve(e.url().getRawPath()))
                                .build()))
        .build();
  }

  private static String evidence(String rule, String bucket) {
    return report.failures().stream()
        .filter(r -> r.ruleId().equals(rule) && r.resource().id().equals(bucket))
        .findFirst()
        .orElseThrow()
        .evidence();
  }
}
