package dev.parapet.operator.aws.events.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parapet.testing.CloudTrailRecords;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The detector on CloudTrail records shaped as CloudTrail writes them ({@code
 * src/test/resources/cloudtrail/}): each kind reports its event, and its benign twin (MFA used,
 * failed call, private range, deny or egress entry, AWS service acting as root, ...) reports
 * nothing. What a record does not say is not guessed.
 */
class ActivityDetectorTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ACCOUNT = "123456789012";
  static final String ALICE = "arn:aws:iam::123456789012:user/alice";

  static JsonNode record(String name) {
    return CloudTrailRecords.record(name);
  }

  static List<ActivityObservation> detect(String fixture) {
    return ActivityDetector.detect(record(fixture), "eu-west-1");
  }

  static ActivityObservation only(String fixture) {
    var out = detect(fixture);
    assertThat(out).as(fixture).hasSize(1);
    return out.get(0);
  }

  @Test
  void consoleLoginWithoutMfaNamesWhoWhenWhereAndWhichEvent() {
    var o = only("console-login-no-mfa");
    assertThat(o.rule().id()).isEqualTo("aws-activity-console-login-without-mfa");
    assertThat(o.principalArn()).isEqualTo(ALICE);
    assertThat(o.principalType()).isEqualTo("IAMUser");
    assertThat(o.sourceIp()).isEqualTo("203.0.113.10");
    assertThat(o.eventTime()).isEqualTo("2026-12-07T09:58:12Z");
    assertThat(o.eventId()).isEqualTo("c0000000-0000-4000-8000-000000000001");
    assertThat(o.eventName()).isEqualTo("ConsoleLogin");
    assertThat(o.region()).isEqualTo("us-east-1");
    assertThat(o.accountId()).isEqualTo(ACCOUNT);
    assertThat(o.resourceType()).isEqualTo("AWS::IAM::User");
    assertThat(o.resourceId()).isEqualTo("alice");
    assertThat(o.resourceArn()).isEqualTo(ALICE);
    assertThat(o.evidence())
        .contains(ALICE, "without MFA", "203.0.113.10", "2026-12-07T09:58:12Z")
        .contains("c0000000-0000-4000-8000-000000000001");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "console-login-mfa", // MFA used
        "console-login-failed-no-mfa", // the sign-in failed
        "console-login-sso-no-mfa", // federated (Identity Center): MFA is the IdP's
        "console-login-mfa-unknown" // MFAUsed absent: unknown, not reported
      })
  void benignOrUnknownConsoleLoginsReportNothing(String fixture) {
    assertThat(detect(fixture)).isEmpty();
  }

  @Test
  void rootConsoleLoginWithoutMfaIsRootActivityAndLoginWithoutMfa() {
    var out = detect("root-console-login-no-mfa");
    assertThat(out)
        .extracting(o -> o.rule().id())
        .containsExactlyInAnyOrder(
            "aws-activity-root-user", "aws-activity-console-login-without-mfa");
    assertThat(out)
        .allSatisfy(
            o -> {
              assertThat(o.principalType()).isEqualTo("Root");
              assertThat(o.resourceType()).isEqualTo("AWS::::Account");
              assertThat(o.resourceId()).isEqualTo(ACCOUNT);
            });
  }

  @Test
  void rootActivityCopiesNoCredentialFromTheRecord() {
    var o = only("root-create-access-key");
    assertThat(o.rule().id()).isEqualTo("aws-activity-root-user");
    assertThat(o.resourceArn()).isEqualTo("arn:aws:iam::123456789012:root");
    assertThat(o.evidence()).contains("root user called iam.amazonaws.com CreateAccessKey");
    // the record holds the caller's key id, and the new key's id and secret in its response
    assertThat(o.toString())
        .doesNotContain("ASIAIOSFODNN7EXAMPLE")
        .doesNotContain("AKIAI44QH8DHBEXAMPLE")
        .doesNotContain("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  }

  @ParameterizedTest
  @ValueSource(strings = {"root-invoked-by-service", "root-aws-service-event"})
  void awsServicesActingAsRootAreNotRootActivity(String fixture) {
    assertThat(detect(fixture)).isEmpty();
  }

  @Test
  void anEventNoRuleReadsReportsNothing() {
    assertThat(detect("alice-describe-instances")).isEmpty();
  }

  @Test
  void stopLoggingNamesTheTrail() {
    var o = only("stop-logging");
    assertThat(o.rule().id()).isEqualTo("aws-activity-cloudtrail-logging-off");
    assertThat(o.resourceType()).isEqualTo("AWS::CloudTrail::Trail");
    assertThat(o.resourceId()).isEqualTo("management-events");
    assertThat(o.resourceArn())
        .isEqualTo("arn:aws:cloudtrail:eu-west-1:123456789012:trail/management-events");
    assertThat(o.evidence()).contains("stopped logging of trail management-events");
    assertThat(o.toString()).doesNotContain("AKIAIOSFODNN7EXAMPLE");
  }

  @Test
  void deleteTrailByNameGetsTheTrailArn() {
    var o = only("delete-trail");
    assertThat(o.resourceId()).isEqualTo("management-events");
    assertThat(o.resourceArn())
        .isEqualTo("arn:aws:cloudtrail:eu-west-1:123456789012:trail/management-events");
    assertThat(o.evidence()).contains("deleted trail management-events");
  }

  @Test
  void updateTrailTurningMultiRegionOffIsReported() {
    var o = only("update-trail-single-region");
    assertThat(o.rule().id()).isEqualTo("aws-activity-cloudtrail-logging-off");
    assertThat(o.evidence()).contains("isMultiRegionTrail=false");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "update-trail-bucket", // UpdateTrail that keeps logging as it was
        "stop-logging-denied", // AccessDenied: nothing stopped
        "stop-logging-no-event-id" // no eventID: no idempotent finding possible
      })
  void trailEventsThatStopNothingReportNothing(String fixture) {
    assertThat(detect(fixture)).isEmpty();
  }

  @Test
  void mfaDeactivatedForAnotherUserNamesThatUserWithoutGuessingItsArn() {
    var o = only("deactivate-mfa-other-user");
    assertThat(o.rule().id()).isEqualTo("aws-activity-mfa-deactivated");
    assertThat(o.resourceId()).isEqualTo("bob");
    assertThat(o.resourceArn()).isNull(); // the record gives no path
    assertThat(o.principalArn()).isEqualTo(ALICE);
    assertThat(o.evidence())
        .contains("deactivated the MFA device arn:aws:iam::123456789012:mfa/bob-phone of user bob");
  }

  @Test
  void virtualMfaDeletedByItsOwnUser() {
    var o = only("delete-virtual-mfa-self");
    assertThat(o.resourceId()).isEqualTo("alice");
    assertThat(o.resourceArn()).isEqualTo(ALICE);
    assertThat(o.evidence()).contains("deleted the virtual MFA device");
  }

  @Test
  void failedMfaDeactivationReportsNothing() {
    assertThat(detect("deactivate-mfa-denied")).isEmpty();
  }

  @Test
  void securityGroupOpenedToTheWorld() {
    var o = only("sg-ssh-world");
    assertThat(o.rule().id()).isEqualTo("aws-activity-sg-opened-to-world");
    assertThat(o.resourceId()).isEqualTo("sg-0123456789abcdef0");
    assertThat(o.resourceArn())
        .isEqualTo("arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0123456789abcdef0");
    assertThat(o.evidence()).contains("tcp 22 from 0.0.0.0/0");
    var v6 = only("sg-all-ipv6-world");
    assertThat(v6.evidence()).contains("all traffic from ::/0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sg-ssh-private", "sg-denied"})
  void securityGroupIngressFromPrivateRangesOrFailedReportsNothing(String fixture) {
    assertThat(detect(fixture)).isEmpty();
  }

  @Test
  void networkAclIngressAllowedFromTheWorld() {
    var o = only("nacl-rdp-world");
    assertThat(o.rule().id()).isEqualTo("aws-activity-nacl-opened-to-world");
    assertThat(o.resourceId()).isEqualTo("acl-0123456789abcdef0");
    assertThat(o.resourceArn())
        .isEqualTo("arn:aws:ec2:eu-west-1:123456789012:network-acl/acl-0123456789abcdef0");
    assertThat(o.evidence()).contains("inbound tcp 3389 from 0.0.0.0/0", "rule 100");
    var v6 = only("nacl-replace-ipv6-world");
    assertThat(v6.evidence()).contains("all traffic from ::/0", "ReplaceNetworkAclEntry");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"nacl-egress-world", "nacl-deny-world", "nacl-private", "nacl-egress-unknown"})
  void networkAclEntriesThatOpenNothingInboundReportNothing(String fixture) {
    assertThat(detect(fixture)).isEmpty();
  }

  @Test
  void theRecordsRegionWinsAndTheGivenOneFillsIn() {
    var r = record("sg-ssh-world").deepCopy();
    assertThat(ActivityDetector.detect(r, "ap-northeast-1").get(0).region()).isEqualTo("eu-west-1");
    ((com.fasterxml.jackson.databind.node.ObjectNode) r).remove("awsRegion");
    var o = ActivityDetector.detect(r, "ap-northeast-1").get(0);
    assertThat(o.region()).isEqualTo("ap-northeast-1");
    assertThat(o.resourceArn()).startsWith("arn:aws:ec2:ap-northeast-1:");
  }

  @Test
  void worldRangesAreAnyPrefixOfLengthZero() {
    assertThat(ActivityDetector.world("0.0.0.0/0")).contains("0.0.0.0/0");
    assertThat(ActivityDetector.world("::/0")).contains("::/0");
    assertThat(ActivityDetector.world("0::/0")).contains("0::/0");
    assertThat(ActivityDetector.world("0.0.0.0/1")).isEmpty();
    assertThat(ActivityDetector.world("10.0.0.0/8")).isEmpty();
    assertThat(ActivityDetector.world("/0")).isEmpty();
  }

  @Test
  void notARecordReportsNothing() {
    assertThat(ActivityDetector.detect(null, "eu-west-1")).isEmpty();
    assertThat(ActivityDetector.detect(JSON.createArrayNode(), "eu-west-1")).isEmpty();
    assertThat(ActivityDetector.detect(JSON.createObjectNode(), "eu-west-1")).isEmpty();
  }

  @Test
  void overlongFieldsAreCut() {
    var r = (com.fasterxml.jackson.databind.node.ObjectNode) record("stop-logging").deepCopy();
    r.put("sourceIPAddress", "x".repeat(5000));
    assertThat(only(r).sourceIp()).hasSize(ActivityDetector.MAX_FIELD);
  }

  private static ActivityObservation only(JsonNode r) {
    var out = ActivityDetector.detect(r, "eu-west-1");
    assertThat(out).hasSize(1);
    return out.get(0);
  }
}
