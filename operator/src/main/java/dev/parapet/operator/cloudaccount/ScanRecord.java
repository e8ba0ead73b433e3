package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.operator.scan.ScanOutcome;
import java.time.Instant;

/**
 * The last finished scan of one account as the reconciler sees it.
 *
 * @param counts finding counts after the writer ran; null when the scan was fatal
 * @param fingerprint generation + policy fingerprint the scan ran with
 * @param writeFailures Finding writes that failed (retried by the next scan)
 */
public record ScanRecord(
    ScanOutcome outcome,
    CloudAccountStatus.FindingCounts counts,
    String fingerprint,
    Instant nextScanAt,
    int writeFailures) {}
