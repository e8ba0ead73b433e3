package dev.parapet.operator.cloudaccount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.operator.scan.RuleRegion;
import dev.parapet.operator.scan.ScanOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final CloudAccountStatus.FindingCounts COUNTS =
      new CloudAccountStatus.FindingCounts(1, 2, 0, 0, 0, 1, 4, 0);

  static ScanOutcome ok(Instant start) {
    return new ScanOutcome(
        null,
        new CloudAccountStatus.Identity("arn:aws:iam::123456789012:role/scan", "123456789012"),
        start,
        start.plusSeconds(12),
        40,
        17,
        List.of(new CloudAccountStatus.RegionState("eu-west-1", "Scanned", null)),
        List.of(),
        Set.of("r"),
        List.of(),
        Set.of(),
        List.of());
  }

  static ScanOutcome degraded(Instant start) {
    return new ScanOutcome(
        null,
        new CloudAccountStatus.Identity("arn:aws:iam::123456789012:role/scan", "123456789012"),
        start,
        start.plusSeconds(12),
        40,
        17,
        List.of(new CloudAccountStatus.RegionState("eu-west-1", "Partial", "s3: AccessDenied")),
        List.of(
            new CloudAccountStatus.ScanError(
                "s3", "global", "AccessDenied", "not authorized to s3:ListBuckets")),
        Set.of("r"),
        List.of(),
        Set.of(new RuleRegion("aws-s3-versioning-off", "global")),
        List.of());
  }

  static CloudAccountStatus aggregate(
      CloudAccountStatus current, ScanRecord last, boolean suspended, Instant now) {
    return StatusAggregator.aggregate(
        new StatusAggregator.Input(
            current, 3, last, false, suspended, List.of("sts:GetCallerIdentity"), now));
  }

  static ScanRecord record(ScanOutcome o) {
    return new ScanRecord(
        o, o.fatal() == null ? COUNTS : null, "fp", o.finishedAt().plus(Duration.ofHours(6)), 0);
  }

  static Condition condition(CloudAccountStatus s, String type) {
    return s.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void successfulScanIsReadyWithCountsIdentityAndTiming() {
    var s = aggregate(null, record(ok(T0)), false, T0.plusSeconds(13));
    assertThat(condition(s, "Ready").status()).isEqualTo(Condition.TRUE);
    assertThat(condition(s, "CredentialsValid").message())
        .contains("arn:aws:iam::123456789012:role/scan");
    assertThat(condition(s, "ScanSucceeded").status()).isEqualTo(Condition.TRUE);
    assertThat(condition(s, "Degraded").status()).isEqualTo(Condition.FALSE);
    assertThat(s.findings()).isEqualTo(COUNTS);
    assertThat(s.lastScan().durationSeconds()).isEqualTo(12.0);
    assertThat(s.nextScanAt()).isEqualTo(T0.plusSeconds(12).plus(Duration.ofHours(6)).toString());
    assertThat(s.observedGeneration()).isEqualTo(3);
    assertThat(s.conditions()).allSatisfy(c -> assertThat(c.observedGeneration()).isEqualTo(3));
  }

  @Test
  void theSecurityHubExportHasItsOwnConditionOnlyWhenItRan() {
    var o = ok(T0);
    var off = aggregate(null, record(o), false, T0.plusSeconds(13));
    assertThat(off.conditions())
        .noneMatch(c -> c.type().equals(dev.parapet.operator.securityhub.ExportRecord.CONDITION));
    var denied =
        new dev.parapet.operator.securityhub.ExportRecord(
            Condition.FALSE, "AccessDenied", "no securityhub:BatchImportFindings", 1, 0, 0, 250);
    var rec = new ScanRecord(o, COUNTS, "fp", o.finishedAt().plus(Duration.ofHours(6)), 0, denied);
    var s = aggregate(off, rec, false, T0.plusSeconds(14));
    var c = condition(s, "SecurityHubExported");
    assertThat(c.status()).isEqualTo(Condition.FALSE);
    assertThat(c.reason()).isEqualTo("AccessDenied");
    assertThat(c.observedGeneration()).isEqualTo(3);
    assertThat(condition(s, "Ready").status())
        .as("the export does not make the scan fail")
        .isEqualTo(Condition.TRUE);
    assertThat(condition(s, "Ready").lastTransitionTime())
        .isEqualTo(condition(off, "Ready").lastTransitionTime());
  }

  @Test
  void sameInputsLaterGiveAnEqualStatusSoNothingIsWritten() {
    var rec = record(ok(T0));
    var first = aggregate(null, rec, false, T0.plusSeconds(13));
    var again = aggregate(first, rec, false, T0.plus(Duration.ofHours(1)));
    assertThat(again).isEqualTo(first);
  }

  @Test
  void transitionTimeMovesOnlyForConditionsWhoseStatusChanged() {
    var first = aggregate(null, record(ok(T0)), false, T0.plusSeconds(13));
    var t1 = T0.plus(Duration.ofHours(6));
    var second = aggregate(first, record(degraded(t1)), false, t1.plusSeconds(13));
    assertThat(condition(second, "Degraded").status()).isEqualTo(Condition.TRUE);
    assertThat(condition(second, "Degraded").lastTransitionTime())
        .isEqualTo(t1.plusSeconds(13).toString());
    assertThat(condition(second, "Ready").lastTransitionTime())
        .isEqualTo(condition(first, "Ready").lastTransitionTime());
    assertThat(condition(second, "Ready").reason()).isEqualTo("ScannedWithErrors");
  }

  @Test
  void degradedNamesTheServiceRegionAndCause() {
    var s = aggregate(null, record(degraded(T0)), false, T0.plusSeconds(13));
    assertThat(condition(s, "Degraded").message())
        .contains("s3 in global: AccessDenied")
        .contains("s3:ListBuckets");
    assertThat(s.lastScan().errors()).hasSize(1);
  }

  @Test
  void invalidCredentialsKeepThePreviousCountsAndIdentity() {
    var good = aggregate(null, record(ok(T0)), false, T0.plusSeconds(13));
    var t1 = T0.plus(Duration.ofHours(6));
    var fatal =
        ScanOutcome.fatal(
            t1,
            t1.plusSeconds(1),
            "AccountMismatch",
            "credentials resolved to account 210987654321, not 123456789012",
            true);
    var s = aggregate(good, record(fatal), false, t1.plusSeconds(2));
    assertThat(condition(s, "Ready").status()).isEqualTo(Condition.FALSE);
    assertThat(condition(s, "Ready").reason()).isEqualTo("AccountMismatch");
    assertThat(condition(s, "CredentialsValid").status()).isEqualTo(Condition.FALSE);
    assertThat(condition(s, "ScanSucceeded").status()).isEqualTo(Condition.FALSE);
    assertThat(s.findings()).isEqualTo(COUNTS);
    assertThat(s.identity()).isEqualTo(good.identity());
  }

  @Test
  void suspendedIsNotReadyAndHasNoNextScan() {
    var good = aggregate(null, record(ok(T0)), false, T0.plusSeconds(13));
    var s = aggregate(good, record(ok(T0)), true, T0.plusSeconds(20));
    assertThat(condition(s, "Ready").reason()).isEqualTo("Suspended");
    assertThat(s.nextScanAt()).isNull();
    assertThat(s.findings()).isEqualTo(COUNTS);
  }

  @Test
  void invalidSpecIsNotReadyNamesTheProblemAndSchedulesNoScan() {
    var good = aggregate(null, record(ok(T0)), false, T0.plusSeconds(13));
    var problem =
        "spec.scan.services.include[0]: unknown service 'ec3'; valid values: cloudtrail, ec2, iam,"
            + " kms, rds, s3";
    var s =
        StatusAggregator.aggregate(
            new StatusAggregator.Input(
                good,
                4,
                record(ok(T0)),
                false,
                false,
                List.of("sts:GetCallerIdentity"),
                T0.plusSeconds(20),
                StatusAggregator.Blocked.invalidSpec(problem)));
    assertThat(condition(s, "Ready").status()).isEqualTo(Condition.FALSE);
    assertThat(condition(s, "Ready").reason()).isEqualTo("InvalidSpec");
    assertThat(condition(s, "Ready").message()).startsWith(problem).contains("No scans run");
    assertThat(s.observedGeneration()).isEqualTo(4);
    assertThat(s.nextScanAt()).isNull();
    assertThat(s.findings()).isEqualTo(COUNTS);
    assertThat(s.identity()).isEqualTo(good.identity());
    assertThat(condition(s, "ScanSucceeded").status()).isEqualTo(Condition.TRUE);
  }

  @Test
  void beforeTheFirstScanReadyIsUnknown() {
    var s =
        StatusAggregator.aggregate(
            new StatusAggregator.Input(null, 1, null, true, false, List.of(), T0));
    assertThat(condition(s, "Ready").status()).isEqualTo(Condition.UNKNOWN);
    assertThat(condition(s, "Ready").reason()).isEqualTo("Scanning");
  }

  @Test
  void afterARestartThePreviousVerdictStandsWhileTheFirstScanRuns() {
    var before = aggregate(null, record(ok(T0)), false, T0.plusSeconds(13));
    // A new process: no scan finished here yet, one is running.
    var restarted =
        StatusAggregator.aggregate(
            new StatusAggregator.Input(
                before,
                3,
                null,
                true,
                false,
                List.of("sts:GetCallerIdentity"),
                T0.plusSeconds(60)));
    assertThat(restarted).isEqualTo(before);
    assertThat(condition(restarted, "Ready").lastTransitionTime())
        .isEqualTo(condition(before, "Ready").lastTransitionTime());
    // A spec change (a new generation) is not judged by the old verdict.
    var changed =
        StatusAggregator.aggregate(
            new StatusAggregator.Input(
                before,
                4,
                null,
                true,
                false,
                List.of("sts:GetCallerIdentity"),
                T0.plusSeconds(60)));
    assertThat(condition(changed, "Ready").reason()).isEqualTo("Scanning");
  }

  @Test
  void aDuplicateAccountIsNotReadyAndNamesTheCloudAccountThatScansIt() {
    var s =
        StatusAggregator.aggregate(
            new StatusAggregator.Input(
                null,
                1,
                null,
                false,
                false,
                List.of(),
                T0,
                StatusAggregator.Blocked.duplicateOf("production", "123456789012")));
    assertThat(condition(s, "Ready").status()).isEqualTo(Condition.FALSE);
    assertThat(condition(s, "Ready").reason()).isEqualTo("DuplicateAccount");
    assertThat(condition(s, "Ready").message())
        .contains("123456789012")
        .contains("CloudAccount production");
    assertThat(s.nextScanAt()).isNull();
  }

  static final Duration REFRESH = Duration.ofHours(24);

  @Test
  void anUnchangedRescanKeepsTheRecordedTimingSoNothingIsWritten() {
    var first = aggregate(null, record(ok(T0)), false, T0.plusSeconds(13));
    var later = T0.plus(Duration.ofHours(6));
    var rescan = aggregate(first, record(ok(later)), false, later.plusSeconds(13));
    assertThat(rescan).isNotEqualTo(first); // only the timing moved
    assertThat(StatusAggregator.holdTiming(first, rescan, later.plusSeconds(13), REFRESH))
        .isSameAs(first);
  }

  @Test
  void theTimingIsRefreshedOnceItIsOlderThanTheRefreshInterval() {
    var first = aggregate(null, record(ok(T0)), false, T0.plusSeconds(13));
    var later = T0.plus(Duration.ofHours(30));
    var rescan = aggregate(first, record(ok(later)), false, later.plusSeconds(13));
    var held = StatusAggregator.holdTiming(first, rescan, later.plusSeconds(13), REFRESH);
    assertThat(held).isSameAs(rescan);
    assertThat(held.lastScan().finishedAt()).isEqualTo(later.plusSeconds(12).toString());
    assertThat(held.nextScanAt())
        .isEqualTo(later.plusSeconds(12).plus(Duration.ofHours(6)).toString());
  }

  @Test
  void anyOtherChangeIsWrittenWithFreshTiming() {
    var first = aggregate(null, record(ok(T0)), false, T0.plusSeconds(13));
    var later = T0.plus(Duration.ofHours(6));
    var now = later.plusSeconds(13);
    var degradedRescan = aggregate(first, record(degraded(later)), false, now);
    assertThat(StatusAggregator.holdTiming(first, degradedRescan, now, REFRESH))
        .isSameAs(degradedRescan);
    var countsMoved =
        StatusAggregator.aggregate(
            new StatusAggregator.Input(
                first,
                3,
                new ScanRecord(
                    ok(later),
                    new CloudAccountStatus.FindingCounts(0, 2, 0, 0, 0, 1, 3, 0),
                    "fp",
                    later.plus(Duration.ofHours(6)),
                    0),
                false,
                false,
                List.of("sts:GetCallerIdentity"),
                now));
    assertThat(StatusAggregator.holdTiming(first, countsMoved, now, REFRESH)).isSameAs(countsMoved);
    var newGeneration =
        StatusAggregator.aggregate(
            new StatusAggregator.Input(
                first, 4, record(ok(later)), false, false, List.of("sts:GetCallerIdentity"), now));
    assertThat(StatusAggregator.holdTiming(first, newGeneration, now, REFRESH))
        .isSameAs(newGeneration);
  }
}
