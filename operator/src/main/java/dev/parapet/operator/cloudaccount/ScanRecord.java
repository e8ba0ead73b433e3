package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.operator.remediation.Remediator;
import dev.parapet.operator.scan.ScanOutcome;
import java.time.Instant;

/**
 * The last finished scan of one account as the reconciler sees it.
 *
 * @param counts finding counts after the writer ran; null when the scan was fatal
 * @param fingerprint generation + policy fingerprint the scan ran with
 * @param writeFailures Finding writes that failed (retried by the next scan)
 * @param remediation how remediation went after this scan; null when no policy covers the account
 */
public record ScanRecord(
    ScanOutcome outcome,
    CloudAccountStatus.FindingCounts counts,
    String fingerprint,
    Instant nextScanAt,
    int writeFailures,
    Remediator.Summary remediation) {

  /** A scan without remediation. */
  public ScanRecord(
      ScanOutcome outcome,
      CloudAccountStatus.FindingCounts counts,
      String fingerprint,
      Instant nextScanAt,
      int writeFailures) {
    this(outcome, counts, fingerprint, nextScanAt, writeFailures, null);
  }
}
