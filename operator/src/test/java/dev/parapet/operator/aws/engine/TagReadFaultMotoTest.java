package dev.parapet.operator.aws.engine;

import static dev.parapet.operator.aws.engine.TagFixture.BUCKETS;
import static dev.parapet.operator.aws.engine.TagFixture.KEYS;
import static dev.parapet.operator.aws.engine.TagFixture.TRAILS;
import static dev.parapet.operator.aws.engine.TagFixture.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.cloudscan.OperatorScan;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tag reads refused (AccessDenied injected by the WireMock proxy in front of moto for exactly
 * GetBucketTagging, ListResourceTags, cloudtrail:ListTags and GetAccountAuthorizationDetails): the
 * verdicts are unchanged (FAIL, never UNKNOWN), each failure is in the scan's errors naming
 * service, region, operation, the resources and the cause, and the tag exception (a
 * PosturePolicy's, applied on the operator's path) matches nothing, so the tagged violators'
 * Findings stay open.
 */
@ExtendWith(MotoExtension.class)
class TagReadFaultMotoTest {
  private static final List<String> RULES = List.of(BUCKETS, USERS, KEYS, TRAILS);
  private static MotoProxy proxy;
  private static TagFixture fixture;
  private static OperatorScan.Result scan;
  private static ScanReport report;

  @BeforeAll
  static void seedDenyAndScan(MotoServer moto) {
    fixture = TagFixture.seed(moto.endpoint());
    proxy = new MotoProxy(moto);
    proxy.accessDeniedForOperation("s3", "GetBucketTagging");
    proxy.accessDeniedForOperation("kms", "ListResourceTags");
    proxy.accessDeniedForOperation("cloudtrail", "ListTags");
    proxy.accessDeniedForOperation("iam", "GetAccountAuthorizationDetails");
    var byTag =
        OperatorScan.exception(
            "accepted-by-tag",
            null,
            OperatorScan.cloudMatch(null, null, null, TagFixture.TAG),
            "risk accepted by the owner");
    scan =
        OperatorScan.scan(
            proxy.endpoint(),
            List.of(TagFixture.REGION),
            MotoScans.testSettings(),
            OperatorScan.policy("tags", RULES, byTag));
    report = scan.report();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  private static CollectionError error(String service) {
    return report.errors().stream()
        .filter(e -> e.service().equals(service))
        .reduce(
            (a, b) -> {
              throw new AssertionError("more than one " + service + " error: " + report.errors());
            })
        .orElseThrow(() -> new AssertionError("no " + service + " error: " + report.errors()));
  }

  @Test
  void verdictsStandAndNothingIsUnknown() {
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(report.unknownScopes()).isEmpty();
    assertThat(MotoScans.failedIds(report, BUCKETS))
        .containsExactlyInAnyOrder("tagged-bucket", "untagged-bucket", "trail-logs");
    assertThat(MotoScans.failedIds(report, USERS))
        .containsExactlyInAnyOrder("tagged-user", "untagged-user");
    assertThat(MotoScans.failedIds(report, KEYS))
        .containsExactlyInAnyOrder(fixture.taggedKey, fixture.untaggedKey);
    assertThat(MotoScans.failedIds(report, TRAILS))
        .containsExactlyInAnyOrder("tagged-trail", "untagged-trail");
  }

  @Test
  void theTagExceptionMatchesNothingSoTheFindingsStayVisible() {
    assertThat(scan.desired().findings())
        .hasSize(9)
        .allSatisfy(d -> assertThat(d.suppressedBy()).isNull());
    assertThat(scan.desired().usedExceptions()).isEmpty();
    assertThat(report.results())
        .filteredOn(r -> r.resource() != null)
        .allSatisfy(r -> assertThat(r.resource().tags()).isEmpty());
  }

  @Test
  void eachTagFailureIsListedWithServiceRegionResourcesAndCause() {
    assertThat(report.errors()).hasSize(4);
    assertThat(report.errors())
        .allSatisfy(e -> assertThat(e.reason()).isEqualTo(UnknownReason.AccessDenied));

    var s3 = error("s3");
    assertThat(s3.region()).isEqualTo("us-east-1");
    assertThat(s3.operation()).isEqualTo("GetBucketTagging");
    assertThat(s3.message())
        .contains("tags of buckets tagged-bucket, trail-logs, untagged-bucket unreadable")
        .contains("AccessDenied");

    var kms = error("kms");
    assertThat(kms.region()).isEqualTo("us-east-1");
    assertThat(kms.operation()).isEqualTo("ListResourceTags");
    assertThat(kms.message())
        .contains(fixture.taggedKey)
        .contains(fixture.untaggedKey)
        .contains("AccessDeniedException");

    var trails = error("cloudtrail");
    assertThat(trails.region()).isEqualTo("us-east-1");
    assertThat(trails.operation()).isEqualTo("ListTags");
    assertThat(trails.message()).contains(":trail/tagged-trail").contains(":trail/untagged-trail");

    var iam = error("iam");
    assertThat(iam.region()).isEqualTo("global");
    assertThat(iam.operation()).isEqualTo("GetAccountAuthorizationDetails");
    assertThat(iam.message())
        .contains("tags of AWS::IAM::User unreadable (verdicts unaffected")
        .contains("AccessDenied");
  }

  @Test
  void aFailedResourceListIsReportedOnceByTheVerdictDatasetNotAgainAsTags(MotoServer moto) {
    try (var lists = new MotoProxy(moto)) {
      lists.accessDeniedForOperation("kms", "ListKeys");
      lists.accessDeniedForOperation("cloudtrail", "DescribeTrails");
      var listed =
          MotoScans.scan(
              lists.endpoint(),
              List.of(TagFixture.REGION),
              CloudPolicy.only(KEYS, TRAILS),
              MotoScans.testSettings());
      assertThat(listed.withStatus(ResultStatus.UNKNOWN))
          .extracting(ScanResult::ruleId)
          .containsExactlyInAnyOrder(KEYS, TRAILS);
      assertThat(listed.errors())
          .extracting(CollectionError::service)
          .containsExactlyInAnyOrder("kms", "cloudtrail");
      assertThat(listed.errors()).noneMatch(e -> e.message().contains("tags of"));
    }
  }
}
