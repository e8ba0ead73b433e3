package dev.parapet.operator.cloudscan;

import dev.parapet.operator.scan.ScanOutcome;

/**
 * Scans one cloud account. The production implementation adapts the AWS engine; tests may use a
 * twin. Implementations never throw for cloud-side failures: they report them in the outcome.
 */
public interface CloudScanner {

  ScanOutcome scan(ScanInput input);
}
