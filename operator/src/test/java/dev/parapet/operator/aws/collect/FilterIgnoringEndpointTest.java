package dev.parapet.operator.aws.collect;

import static dev.parapet.operator.aws.collect.FilterIgnoringEndpoint.ACCOUNT;
import static dev.parapet.operator.aws.collect.FilterIgnoringEndpoint.REGION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.MotoScans;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every filtered list call the collectors make, answered by an endpoint that ignores the filter
 * (canned answers, as moto does for DescribeSnapshots): no other account's resource gets a verdict,
 * "public" is only what the permission says, and nothing becomes UNKNOWN, PASS or FAIL by accident.
 */
class FilterIgnoringEndpointTest {
  private static FilterIgnoringEndpoint endpoint;
  private static ScanReport report;

  @BeforeAll
  static void scan() {
    endpoint = new FilterIgnoringEndpoint();
    report =
        MotoScans.scan(
            endpoint.endpoint(),
            List.of(REGION),
            CloudPolicy.only(
                "aws-ec2-snapshot-public",
                "aws-ec2-ami-public",
                "aws-rds-snapshot-public",
                "aws-cloudtrail-log-validation-off"),
            MotoScans.testSettings());
  }

  @AfterAll
  static void stop() {
    endpoint.close();
  }

  private static List<String> ids(String rule, ResultStatus status) {
    return report.results().stream()
        .filter(r -> r.ruleId().equals(rule) && r.status() == status)
        .map(r -> r.resource().id())
        .sorted()
        .toList();
  }

  @Test
  void everythingIsJudgedAndNothingIsUnknown() {
    assertThat(report.errors()).isEmpty();
    assertThat(report.unknownScopes()).isEmpty();
    assertThat(report.results())
        .allSatisfy(r -> assertThat(r.status()).isNotEqualTo(ResultStatus.UNKNOWN))
        .allSatisfy(r -> assertThat(r.resource().accountId()).isEqualTo(ACCOUNT))
        .noneSatisfy(r -> assertThat(r.resource().id()).contains("foreign"))
        .noneSatisfy(r -> assertThat(r.resource().id()).contains("noowner"))
        .noneSatisfy(r -> assertThat(r.resource().id()).contains(FilterIgnoringEndpoint.OTHER));
  }

  /**
   * DescribeSnapshots ignoring OwnerIds=self and RestorableByUserIds=all (moto 5.2.5): other
   * accounts' snapshots get no result and no attribute call; each owned candidate is public only
   * when createVolumePermission names the group all (a private one with an empty permission and one
   * shared with a single account pass).
   */
  @Test
  void snapshotsAreOwnedAndPublicOnlyByTheirReturnedFields() {
    assertThat(ids("aws-ec2-snapshot-public", ResultStatus.FAIL))
        .containsExactly("snap-0ownpublic");
    assertThat(ids("aws-ec2-snapshot-public", ResultStatus.PASS))
        .containsExactly("snap-0ownprivate", "snap-0ownshared");
    assertThat(endpoint.calls("DescribeSnapshots")).isEqualTo(2);
    assertThat(endpoint.calls("DescribeSnapshotAttribute")).isEqualTo(3);
    assertThat(endpoint.calls("DescribeSnapshotAttribute", "snap-0foreign")).isZero();
    assertThat(endpoint.calls("DescribeSnapshotAttribute", "snap-0noowner")).isZero();
  }

  /** DescribeImages ignoring Owners=self: a public AMI another account owns is no finding. */
  @Test
  void imagesAreJudgedOnlyWhenOwned() {
    assertThat(ids("aws-ec2-ami-public", ResultStatus.FAIL)).containsExactly("ami-0ownpublic");
    assertThat(ids("aws-ec2-ami-public", ResultStatus.PASS)).containsExactly("ami-0ownprivate");
  }

  /**
   * DescribeDBSnapshots ignoring SnapshotType=manual (and returning shared and public snapshots of
   * another account, as IncludeShared/IncludePublic would): only the account's manual snapshots are
   * judged, and only they cost an attribute call.
   */
  @Test
  void dbSnapshotsAreTheAccountsManualOnes() {
    assertThat(ids("aws-rds-snapshot-public", ResultStatus.FAIL)).containsExactly("own-public");
    assertThat(ids("aws-rds-snapshot-public", ResultStatus.PASS)).containsExactly("own-private");
    assertThat(endpoint.calls("DescribeDBSnapshotAttributes")).isEqualTo(2);
  }

  /**
   * DescribeTrails ignoring IncludeShadowTrails=false: the shadow of a trail homed in another
   * region and another account's organization trail are judged where they live, not here.
   */
  @Test
  void trailsAreJudgedInTheirHomeRegionAndAccountOnly() {
    assertThat(ids("aws-cloudtrail-log-validation-off", ResultStatus.FAIL)).containsExactly("own");
    assertThat(ids("aws-cloudtrail-log-validation-off", ResultStatus.PASS)).isEmpty();
  }

  /** DescribeRegions ignoring AllRegions=false: a region not opted in is not scanned. */
  @Test
  void regionsNotOptedInAreNotEnabled() {
    try (var clients = new AwsClientFactory(MotoScans.testSettings());
        var session =
            clients.open(
                new CredentialSource.StaticKeys("AKIAIOSFODNN7EXAMPLE", "fake-secret", null),
                endpoint.endpoint(),
                REGION)) {
      assertThat(AccountProbe.enabledRegions(session))
          .containsExactly("eu-west-1", "me-south-1", "us-east-1");
    }
  }
}
