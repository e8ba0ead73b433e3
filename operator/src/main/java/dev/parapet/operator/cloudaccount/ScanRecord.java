package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.operator.remediation.Remediator;
import dev.parapet.operator.scan.ScanOutcome;
import dev.parapet.operator.securityhub.ExportRecord;
import java.time.Instant;

/**
 * The last finished scan of one account as the reconciler sees it.
 *
 * @param counts finding counts after the writer ran; null when the scan was fatal
 * @param fingerprint generation + policy fingerprint the scan ran with
 * @param writeFailures Finding writes that failed (retried by the next scan)
 * @param securityHub what the Security Hub export did after the scan; null when it is off
 * @param remediation how remediation went after this scan; null when no policy covers the account
 */
public record ScanRecord(
    ScanOutcome outcome,
    CloudAccountStatus.FindingCounts counts,
    String fingerprint,
    Instant nextScanAt,
    int writeFailures,
    ExportRecord securityHub,
    Remediator.Summary remediation) {

  /** A record of a scan with no export and no remediation. */
  public ScanRecord(
      ScanOutcome outcome,
      CloudAccountStatus.FindingCounts counts,
      String fingerprint,
      Instant nextScanAt,
      int writeFailures) {
    this(outcome, counts, fingerprint, nextScanAt, writeFailures, null, null);
  }

  /** A record of a scan without remediation. */
  public ScanRecord(
      ScanOutcome outcome,
      CloudAccountStatus.FindingCounts counts,
      String fingerprint,
      Instant nextScanAt,
      int writeFailures,
      ExportRecord securityHub) {
    this(outcome, counts, fingerprint, nextScanAt, writeFailures, securityHub, null);
  }
}
