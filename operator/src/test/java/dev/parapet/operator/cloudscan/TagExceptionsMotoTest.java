package dev.parapet.operator.cloudscan;

import static dev.parapet.operator.aws.engine.TagFixture.ADMIN;
import static dev.parapet.operator.aws.engine.TagFixture.BUCKETS;
import static dev.parapet.operator.aws.engine.TagFixture.KEYS;
import static dev.parapet.operator.aws.engine.TagFixture.TRAILS;
import static dev.parapet.operator.aws.engine.TagFixture.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.engine.TagFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tag-based exceptions on the resources whose tags come from tags-only datasets, end to end against
 * moto through the operator's path (a PosturePolicy exception, merged, scanned, applied to the
 * desired Findings): for each of S3 bucket, IAM user, IAM role (its inline policy), KMS key and
 * CloudTrail trail, the tagged violator's Finding is suppressed by an exception that matches by tag
 * alone, and its untagged twin's stays open.
 */
@ExtendWith(MotoExtension.class)
class TagExceptionsMotoTest {
  private static TagFixture fixture;
  private static OperatorScan.Result scan;
  private static ScanReport report;

  @BeforeAll
  static void seedAndScan(MotoServer moto) {
    fixture = TagFixture.seed(moto.endpoint());
    var byTag =
        OperatorScan.exception(
            "accepted-by-tag",
            null,
            OperatorScan.cloudMatch(null, null, null, TagFixture.TAG),
            "risk accepted by the owner");
    scan =
        OperatorScan.scan(
            moto.endpoint(),
            List.of(TagFixture.REGION),
            MotoScans.testSettings(),
            OperatorScan.policy("tags", TagFixture.RULES, byTag));
    report = scan.report();
  }

  private static List<String> suppressed(String rule) {
    return scan.suppressed(rule, "accepted-by-tag");
  }

  private static List<String> failed(String rule) {
    return scan.open(rule);
  }

  private static Map<String, String> tagsOf(String rule, String id) {
    return report.results().stream()
        .filter(r -> r.ruleId().equals(rule) && r.resource() != null)
        .filter(r -> r.resource().id().equals(id))
        .findFirst()
        .orElseThrow()
        .resource()
        .tags();
  }

  @Test
  void theScanIsCompleteWithoutErrors() {
    assertThat(report.errors()).isEmpty();
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    // the merged policy ran exactly the fixture's rules and carries the one exception
    assertThat(report.enabledRules()).containsExactlyInAnyOrderElementsOf(TagFixture.RULES);
    assertThat(scan.policy().exceptions())
        .singleElement()
        .satisfies(e -> assertThat(e.qualifiedName()).isEqualTo("tags/accepted-by-tag"));
    assertThat(scan.desired().usedExceptions()).containsExactly("tags/accepted-by-tag");
    assertThat(scan.desired().findings())
        .filteredOn(d -> d.suppressedBy() != null)
        .allSatisfy(
            d -> {
              assertThat(d.suppressedBy().policy()).isEqualTo("tags");
              assertThat(d.suppressedBy().reason()).isEqualTo("risk accepted by the owner");
              assertThat(d.suppressedBy().expiresAt()).isNull();
            });
  }

  @Test
  void s3BucketTagsFromGetBucketTagging() {
    assertThat(suppressed(BUCKETS)).containsExactly("tagged-bucket");
    assertThat(failed(BUCKETS)).containsExactlyInAnyOrder("untagged-bucket", "trail-logs");
    assertThat(tagsOf(BUCKETS, "tagged-bucket"))
        .isEqualTo(Map.of("risk", "accepted", "team", "data"));
    // NoSuchTagSet is "no tags", not a failure
    assertThat(tagsOf(BUCKETS, "untagged-bucket")).isEmpty();
  }

  @Test
  void iamUserTagsFromGetAccountAuthorizationDetails() {
    assertThat(suppressed(USERS)).containsExactly("tagged-user");
    assertThat(failed(USERS)).containsExactly("untagged-user");
  }

  @Test
  void iamRoleInlinePolicyCarriesTheRoleTags() {
    assertThat(suppressed(ADMIN)).containsExactly("tagged-role/admin");
    assertThat(failed(ADMIN)).containsExactly("untagged-role/admin");
  }

  @Test
  void kmsKeyTagsFromListResourceTags() {
    assertThat(suppressed(KEYS)).containsExactly(fixture.taggedKey);
    assertThat(failed(KEYS)).containsExactly(fixture.untaggedKey);
  }

  @Test
  void cloudTrailTagsFromListTags() {
    assertThat(suppressed(TRAILS)).containsExactly("tagged-trail");
    assertThat(failed(TRAILS)).containsExactly("untagged-trail");
  }

  @Test
  void tagsAreReadOncePerResourceOrBatchAndNeverPerUser() {
    var calls = report.apiCalls();
    // three buckets, one GetBucketTagging each (no S3 call returns several buckets' tags)
    assertThat(calls).containsEntry("s3:GetBucketTagging", 3L);
    // two customer-managed keys, one ListResourceTags each
    assertThat(calls).containsEntry("kms:ListResourceTags", 2L);
    // two trails, one ListTags batch (up to 20 ARNs)
    assertThat(calls).containsEntry("cloudtrail:ListTags", 1L);
    // IAM tags ride on GetAccountAuthorizationDetails, read once for two rules' needs
    assertThat(calls).containsEntry("iam:GetAccountAuthorizationDetails", 1L);
    assertThat(calls.keySet())
        .noneMatch(c -> c.startsWith("iam:ListUserTags") || c.startsWith("iam:ListRoleTags"));
    // the trail and key lists are read once and shared by the verdict and the tags datasets
    assertThat(calls).containsEntry("cloudtrail:DescribeTrails", 1L);
    assertThat(calls).containsEntry("kms:ListKeys", 1L);
  }
}
