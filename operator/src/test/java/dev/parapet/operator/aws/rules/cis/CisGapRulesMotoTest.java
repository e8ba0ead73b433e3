package dev.parapet.operator.aws.rules.cis;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CIS 1.10, 1.21, 2.1.2 and 3.4 end to end against moto, violators beside clean twins. moto gaps,
 * each answered by {@link MotoProxy#answer} for one scan (docs/testing.md): it never returns
 * MFADelete (so the MFA Delete twin is a canned GetBucketVersioning), it has no AWS managed
 * policies unless told to load them (so the CloudShell violator is a canned
 * GetAccountAuthorizationDetails), and its CreateTrail refuses a bucket that does not exist (so the
 * trail logging to another account's bucket is a canned DescribeTrails).
 */
class CisGapRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  static final String REGION = "us-east-1";
  static final List<String> RULES =
      List.of(
          "aws-iam-console-user-unused-key",
          "aws-iam-cloudshell-full-access",
          "aws-s3-bucket-mfa-delete-off",
          "aws-cloudtrail-bucket-access-logging-off");

  static MotoProxy proxy;
  static ScanReport report;

  @BeforeAll
  static void seedAndScan() {
    var seed = new AwsSeed(MOTO.server());
    try (var iam = seed.iam()) {
      iam.createUser(b -> b.userName("console-with-key"));
      iam.createLoginProfile(b -> b.userName("console-with-key").password("Example-Passw0rd!"));
      iam.createAccessKey(b -> b.userName("console-with-key"));
      iam.createUser(b -> b.userName("console-only"));
      iam.createLoginProfile(b -> b.userName("console-only").password("Example-Passw0rd!"));
      iam.createUser(b -> b.userName("program-only"));
      iam.createAccessKey(b -> b.userName("program-only"));
    }
    try (var s3 = seed.s3(REGION);
        var trails = seed.cloudTrail(REGION)) {
      s3.createBucket(b -> b.bucket("access-logs"));
      // The documented grant for server access log delivery: a policy for the logging service.
      s3.putBucketPolicy(
          b ->
              b.bucket("access-logs")
                  .policy(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                          + "\"Principal\":{\"Service\":\"logging.s3.amazonaws.com\"},"
                          + "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::access-logs/*\"}]}"));
      s3.createBucket(b -> b.bucket("trail-logged"));
      s3.createBucket(b -> b.bucket("trail-unlogged"));
      s3.putBucketLogging(
          b ->
              b.bucket("trail-logged")
                  .bucketLoggingStatus(
                      l ->
                          l.loggingEnabled(e -> e.targetBucket("access-logs").targetPrefix("t/"))));
      s3.putBucketVersioning(
          b -> b.bucket("trail-logged").versioningConfiguration(v -> v.status("Enabled")));
      trails.createTrail(b -> b.name("logged").s3BucketName("trail-logged"));
      trails.createTrail(b -> b.name("unlogged").s3BucketName("trail-unlogged"));
    }
    proxy = new MotoProxy(MOTO.server());
    report = scan();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  static ScanReport scan() {
    return MotoScans.scan(
        proxy.endpoint(),
        List.of(REGION),
        CloudPolicy.only(RULES.toArray(String[]::new)),
        MotoScans.testSettings());
  }

  @Test
  void nothingIsUnknown() {
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void consoleUserWithANeverUsedKeyFailsAndTheConsoleOnlyUserPasses() {
    var rule = "aws-iam-console-user-unused-key";
    assertThat(failedIds(report, rule)).containsExactly("console-with-key");
    // A user without a console password is outside CIS 1.10: no verdict either way.
    assertThat(passedIds(report, rule)).containsExactly("console-only");
    assertThat(report.failures())
        .filteredOn(r -> r.ruleId().equals(rule))
        .singleElement()
        .satisfies(r -> assertThat(r.evidence()).contains("never used active access key 1"));
  }

  @Test
  void noCloudShellFullAccessAttachedPasses() {
    assertThat(passedIds(report, "aws-iam-cloudshell-full-access"))
        .containsExactly(MotoServer.ACCOUNT_ID);
  }

  @Test
  void cloudShellFullAccessFails_motoGapManagedPoliciesServedByCannedAuthorizationDetails() {
    var canned =
        proxy.answer(
            "iam",
            "GetAccountAuthorizationDetails",
            200,
            "text/xml",
            "<GetAccountAuthorizationDetailsResponse"
                + " xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<GetAccountAuthorizationDetailsResult><IsTruncated>false</IsTruncated>"
                + "<UserDetailList><member><UserName>dev</UserName><UserId>AIDAEXAMPLEDEV00001"
                + "</UserId><Arn>arn:aws:iam::123456789012:user/dev</Arn><Path>/</Path>"
                + "<CreateDate>2026-01-01T00:00:00Z</CreateDate><UserPolicyList/><GroupList/>"
                + "<AttachedManagedPolicies><member><PolicyName>AWSCloudShellFullAccess"
                + "</PolicyName><PolicyArn>arn:aws:iam::aws:policy/AWSCloudShellFullAccess"
                + "</PolicyArn></member></AttachedManagedPolicies></member></UserDetailList>"
                + "<GroupDetailList/><Policies/><RoleDetailList><member>"
                + "<RoleName>ops</RoleName><RoleId>AROAEXAMPLEOPS00001</RoleId>"
                + "<Arn>arn:aws:iam::123456789012:role/ops</Arn><Path>/</Path>"
                + "<CreateDate>2026-01-01T00:00:00Z</CreateDate>"
                + "<RolePolicyList/><InstanceProfileList/><AttachedManagedPolicies><member>"
                + "<PolicyName>ReadOnlyAccess</PolicyName>"
                + "<PolicyArn>arn:aws:iam::aws:policy/ReadOnlyAccess</PolicyArn>"
                + "</member></AttachedManagedPolicies></member></RoleDetailList>"
                + "</GetAccountAuthorizationDetailsResult>"
                + "<ResponseMetadata><RequestId>canned</RequestId></ResponseMetadata>"
                + "</GetAccountAuthorizationDetailsResponse>");
    try {
      var cannedReport = scan();
      var rule = "aws-iam-cloudshell-full-access";
      assertThat(failedIds(cannedReport, rule)).containsExactly(MotoServer.ACCOUNT_ID);
      assertThat(cannedReport.failures())
          .filteredOn(r -> r.ruleId().equals(rule))
          .singleElement()
          .satisfies(
              r ->
                  assertThat(r.evidence())
                      .endsWith("AWSCloudShellFullAccess is attached to user dev"));
    } finally {
      proxy.removeAnswer(canned);
    }
  }

  @Test
  void everyBucketFailsMfaDelete_motoNeverReturnsMfaDelete() {
    assertThat(failedIds(report, "aws-s3-bucket-mfa-delete-off"))
        .containsExactlyInAnyOrder("access-logs", "trail-logged", "trail-unlogged");
    assertThat(report.failures())
        .filteredOn(r -> r.resource().id().equals("trail-logged"))
        .filteredOn(r -> r.ruleId().equals("aws-s3-bucket-mfa-delete-off"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.evidence())
                    .isEqualTo(
                        "Bucket trail-logged versioning is Enabled, MFA Delete is not configured"
                            + " (never enabled)"));
  }

  @Test
  void versioningWithMfaDeletePasses_motoGapServedByCannedVersioning() {
    var canned =
        proxy.answer(
            "s3",
            "?versioning",
            200,
            "application/xml",
            "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Status>Enabled</Status><MfaDelete>Enabled</MfaDelete>"
                + "</VersioningConfiguration>");
    try {
      var cannedReport = scan();
      assertThat(passedIds(cannedReport, "aws-s3-bucket-mfa-delete-off"))
          .containsExactlyInAnyOrder("access-logs", "trail-logged", "trail-unlogged");
      assertThat(failedIds(cannedReport, "aws-s3-bucket-mfa-delete-off")).isEmpty();
    } finally {
      proxy.removeAnswer(canned);
    }
  }

  @Test
  void trailBucketWithoutAccessLoggingFailsAndTheLoggedOnePasses() {
    var rule = "aws-cloudtrail-bucket-access-logging-off";
    assertThat(failedIds(report, rule)).containsExactly("unlogged");
    assertThat(passedIds(report, rule)).containsExactly("logged");
  }

  @Test
  void trailLoggingToAnotherAccountsBucketIsUnknown_cannedDescribeTrails() {
    var canned =
        proxy.answer(
            "cloudtrail",
            "DescribeTrails",
            200,
            "application/x-amz-json-1.1",
            "{\"trailList\":[{\"Name\":\"to-archive\",\"S3BucketName\":\"central-log-archive\","
                + "\"TrailARN\":\"arn:aws:cloudtrail:us-east-1:123456789012:trail/to-archive\","
                + "\"HomeRegion\":\"us-east-1\",\"IsMultiRegionTrail\":true,"
                + "\"LogFileValidationEnabled\":true}]}");
    try {
      var cannedReport = scan();
      var rule = "aws-cloudtrail-bucket-access-logging-off";
      assertThat(failedIds(cannedReport, rule)).isEmpty();
      assertThat(passedIds(cannedReport, rule)).isEmpty();
      assertThat(cannedReport.withStatus(ResultStatus.UNKNOWN))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.ruleId()).isEqualTo(rule);
                assertThat(r.evidence())
                    .contains("central-log-archive")
                    .contains("not in the scanned account's bucket list");
              });
    } finally {
      proxy.removeAnswer(canned);
    }
  }
}
