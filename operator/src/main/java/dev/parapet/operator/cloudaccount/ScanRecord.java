package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccountStatus;
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
 */
public record ScanRecord(
    ScanOutcome outcome,
    CloudAccountStatus.FindingCounts counts,
    String fingerprint,
    Instant nextScanAt,
    int writeFailures,
    ExportRecord securityHub) {

  /** A record of a scan with no export. */
  public ScanRecord(
      ScanOutcome outcome,
      CloudAccountStatus.FindingCounts counts,
      String fingerprint,
      Instant nextScanAt,
      int writeFailures) {
    this(outcome, counts, fingerprint, nextScanAt, writeFailures, null);
  }
}
