package dev.parapet.operator.aws.rules.iam;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * IAM rules (checks 18-24) end to end against moto. IAM is account-wide and moto's credential
 * report is generated once, so every user is seeded before the first scan.
 *
 * <p>moto gaps, each served by WireMock in front of moto for that one call (everything else is
 * proxied to moto):
 *
 * <ul>
 *   <li>GetAccountSummary: moto has no root user, so AccountMFAEnabled and AccountAccessKeysPresent
 *       are always 0; the root-MFA clean twin and the root-key violator need a stubbed summary.
 *   <li>GetCredentialReport: moto never records password or access-key use (always {@code
 *       no_information} / {@code N/A}) and cannot backdate creation or rotation, so the ages checks
 *       21 and 22 need a report with chosen timestamps (in moto's own CSV layout).
 * </ul>
 */
class IamRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  static final String ADMIN =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
          + "\"Resource\":\"*\"}]}";
  static final String S3_READ =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\"],"
          + "\"Resource\":\"*\"}]}";

  static ScanReport report;
  static WireMockServer proxy;

  @BeforeAll
  static void seedAndScan() {
    var moto = MOTO.server();
    try (var iam = new AwsSeed(moto).iam()) {
      iam.createUser(b -> b.userName("console-nomfa"));
      iam.createLoginProfile(b -> b.userName("console-nomfa").password("Example-Passw0rd!"));
      iam.createUser(b -> b.userName("console-mfa"));
      iam.createLoginProfile(b -> b.userName("console-mfa").password("Example-Passw0rd!"));
      var serial =
          iam.createVirtualMFADevice(b -> b.virtualMFADeviceName("console-mfa"))
              .virtualMFADevice()
              .serialNumber();
      iam.enableMFADevice(
          b ->
              b.userName("console-mfa")
                  .serialNumber(serial)
                  .authenticationCode1("123456")
                  .authenticationCode2("654321"));
      iam.createUser(b -> b.userName("two-keys"));
      iam.createAccessKey(b -> b.userName("two-keys"));
      iam.createAccessKey(b -> b.userName("two-keys"));
      iam.createUser(b -> b.userName("one-key"));
      iam.createAccessKey(b -> b.userName("one-key"));

      var admin =
          iam.createPolicy(b -> b.policyName("full-admin").policyDocument(ADMIN)).policy().arn();
      var s3 =
          iam.createPolicy(b -> b.policyName("s3-read").policyDocument(S3_READ)).policy().arn();
      iam.createPolicy(b -> b.policyName("unattached-admin").policyDocument(ADMIN));
      iam.attachUserPolicy(b -> b.userName("one-key").policyArn(admin));
      iam.attachUserPolicy(b -> b.userName("two-keys").policyArn(s3));
      iam.createGroup(b -> b.groupName("ops"));
      iam.putGroupPolicy(b -> b.groupName("ops").policyName("everything").policyDocument(ADMIN));
      iam.putGroupPolicy(b -> b.groupName("ops").policyName("read").policyDocument(S3_READ));
    }
    // Two regions: account-wide IAM data must still be read once, not once per region.
    report = MotoScans.scan(moto, List.of("us-east-1", "eu-west-1"), iamRules());

    proxy = MotoProxy.recording(moto);
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.stop();
    }
  }

  private static CloudPolicy iamRules() {
    return CloudPolicy.only(
        "aws-iam-root-mfa-off",
        "aws-iam-root-access-key",
        "aws-iam-console-user-without-mfa",
        "aws-iam-unused-credentials",
        "aws-iam-access-key-not-rotated",
        "aws-iam-weak-password-policy",
        "aws-iam-admin-policy-attached");
  }

  private static ScanReport scanThroughProxy(String... rules) {
    return MotoScans.scan(
        java.net.URI.create(proxy.baseUrl()),
        List.of("us-east-1"),
        CloudPolicy.only(rules),
        MotoScans.testSettings());
  }

  @Test
  void nothingIsUnknown() {
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void rootMfaOffFailsOnMotosSummary() {
    assertThat(failedIds(report, "aws-iam-root-mfa-off")).containsExactly(MotoServer.ACCOUNT_ID);
    assertThat(passedIds(report, "aws-iam-root-access-key")).containsExactly(MotoServer.ACCOUNT_ID);
  }

  @Test
  void rootMfaOnAndRootKeysPresent_motoGapGetAccountSummaryServedByWireMock() {
    proxy.stubFor(
        post(anyUrl())
            .withRequestBody(containing("Action=GetAccountSummary"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<GetAccountSummaryResponse"
                            + " xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                            + "<GetAccountSummaryResult><SummaryMap>"
                            + "<entry><key>AccountMFAEnabled</key><value>1</value></entry>"
                            + "<entry><key>AccountAccessKeysPresent</key><value>1</value></entry>"
                            + "<entry><key>Users</key><value>4</value></entry>"
                            + "</SummaryMap></GetAccountSummaryResult>"
                            + "<ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata>"
                            + "</GetAccountSummaryResponse>")));
    try {
      var stubbed = scanThroughProxy("aws-iam-root-mfa-off", "aws-iam-root-access-key");
      assertThat(passedIds(stubbed, "aws-iam-root-mfa-off")).containsExactly(MotoServer.ACCOUNT_ID);
      assertThat(stubbed.failures())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.ruleId()).isEqualTo("aws-iam-root-access-key");
                assertThat(r.resource().arn()).isEqualTo("arn:aws:iam::123456789012:root");
              });
    } finally {
      proxy.resetToDefaultMappings();
      MotoProxy.forward(proxy, MOTO.server());
    }
  }

  @Test
  void consoleUserWithoutMfaFailsAndItsMfaTwinPasses() {
    assertThat(failedIds(report, "aws-iam-console-user-without-mfa"))
        .containsExactly("console-nomfa");
    assertThat(passedIds(report, "aws-iam-console-user-without-mfa"))
        .containsExactly("console-mfa");
  }

  @Test
  void twoActiveKeysFailAndOneKeyPasses() {
    assertThat(failedIds(report, "aws-iam-access-key-not-rotated")).containsExactly("two-keys");
    // Users with no active key have nothing to rotate and not two keys: they comply (the bench
    // seed's users have no key, and this rule used to give no verdict for them at all).
    assertThat(passedIds(report, "aws-iam-access-key-not-rotated"))
        .containsExactlyInAnyOrder("one-key", "console-nomfa", "console-mfa");
  }

  @Test
  void freshCredentialsAreNotUnused() {
    assertThat(failedIds(report, "aws-iam-unused-credentials")).isEmpty();
    assertThat(passedIds(report, "aws-iam-unused-credentials"))
        .containsExactlyInAnyOrder("console-nomfa", "console-mfa", "two-keys", "one-key");
  }

  @Test
  void credentialAges_motoGapGetCredentialReportServedByWireMock() {
    var now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    var header =
        "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
            + "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
            + "access_key_1_last_used_date,access_key_1_last_used_region,"
            + "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
            + "access_key_2_last_used_date,access_key_2_last_used_region,"
            + "access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,"
            + "cert_2_last_rotated";
    var csv =
        String.join(
            "\n",
            header,
            "<root_account>,arn:aws:iam::123456789012:root,"
                + ago(now, 900)
                + ",not_supported,"
                + ago(now, 2)
                + ",not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
            "stale,arn:aws:iam::123456789012:user/stale,"
                + ago(now, 400)
                + ",true,"
                + ago(now, 50)
                + ","
                + ago(now, 400)
                + ",N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
            "old-key,arn:aws:iam::123456789012:user/old-key,"
                + ago(now, 400)
                + ",false,N/A,N/A,N/A,false,true,"
                + ago(now, 120)
                + ","
                + ago(now, 1)
                + ",us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
            "fresh,arn:aws:iam::123456789012:user/fresh,"
                + ago(now, 400)
                + ",true,"
                + ago(now, 3)
                + ","
                + ago(now, 30)
                + ",N/A,true,true,"
                + ago(now, 30)
                + ","
                + ago(now, 1)
                + ",us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
            // An active key with no date at all (nor the user's creation): its age is unknown.
            "undated,arn:aws:iam::123456789012:user/undated,N/A,false,N/A,N/A,N/A,false,true,"
                + "N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A");
    proxy.stubFor(
        post(anyUrl())
            .withRequestBody(containing("Action=GetCredentialReport"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<GetCredentialReportResponse"
                            + " xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                            + "<GetCredentialReportResult><Content>"
                            + Base64.getEncoder()
                                .encodeToString(csv.getBytes(StandardCharsets.UTF_8))
                            + "</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>"
                            + now
                            + "</GeneratedTime></GetCredentialReportResult>"
                            + "<ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata>"
                            + "</GetCredentialReportResponse>")));
    try {
      var stubbed =
          scanThroughProxy("aws-iam-unused-credentials", "aws-iam-access-key-not-rotated");
      assertThat(failedIds(stubbed, "aws-iam-unused-credentials")).containsExactly("stale");
      assertThat(passedIds(stubbed, "aws-iam-unused-credentials"))
          .containsExactlyInAnyOrder("old-key", "fresh");
      assertThat(failedIds(stubbed, "aws-iam-access-key-not-rotated")).containsExactly("old-key");
      assertThat(passedIds(stubbed, "aws-iam-access-key-not-rotated"))
          .containsExactlyInAnyOrder("fresh", "stale");
      // The undated key: neither rule passes or fails that user; each says why it cannot judge.
      assertThat(stubbed.withStatus(ResultStatus.UNKNOWN))
          .extracting(r -> r.rule().id())
          .containsExactlyInAnyOrder(
              "aws-iam-unused-credentials", "aws-iam-access-key-not-rotated");
      assertThat(stubbed.withStatus(ResultStatus.UNKNOWN))
          .allSatisfy(
              r ->
                  assertThat(r.evidence())
                      .contains("user undated")
                      .contains("no date for access key 1"));
    } finally {
      proxy.resetToDefaultMappings();
      MotoProxy.forward(proxy, MOTO.server());
    }
  }

  private static String ago(Instant now, int days) {
    return now.minus(Duration.ofDays(days)).toString().replace("Z", "+00:00");
  }

  @Test
  void adminPolicyFailsWhereAttachedAndInlineNeverWhenUnattached() {
    assertThat(failedIds(report, "aws-iam-admin-policy-attached"))
        .containsExactlyInAnyOrder("full-admin", "ops/everything");
    assertThat(passedIds(report, "aws-iam-admin-policy-attached"))
        .containsExactlyInAnyOrder("s3-read", "ops/read");
  }

  @Test
  void missingPasswordPolicyFailsAndAStrongOnePasses() {
    assertThat(failedIds(report, "aws-iam-weak-password-policy"))
        .containsExactly(MotoServer.ACCOUNT_ID);
    try (var iam = new AwsSeed(MOTO.server()).iam()) {
      iam.updateAccountPasswordPolicy(b -> b.minimumPasswordLength(14).passwordReusePrevention(24));
      try {
        var strong =
            MotoScans.scan(
                MOTO.server(),
                List.of("us-east-1"),
                CloudPolicy.only("aws-iam-weak-password-policy"));
        assertThat(strong.failures()).isEmpty();
        assertThat(passedIds(strong, "aws-iam-weak-password-policy"))
            .containsExactly(MotoServer.ACCOUNT_ID);
      } finally {
        iam.deleteAccountPasswordPolicy();
      }
    }
  }

  /**
   * One call per IAM dataset, once per account whatever the number of regions (two here), and no
   * per-user calls: with no report yet, the credential report costs Get (410 not present),
   * Generate, Get.
   */
  @Test
  void apiCallsAreOncePerAccountWithNoPerUserCalls() {
    assertThat(report.apiCalls())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "sts:GetCallerIdentity", 1L,
                "iam:GetAccountSummary", 1L,
                "iam:GetCredentialReport", 2L,
                "iam:GenerateCredentialReport", 1L,
                "iam:GetAccountPasswordPolicy", 1L,
                "iam:GetAccountAuthorizationDetails", 1L));
  }
}
