package dev.parapet.operator.scan;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Fallback when no AWS engine is built in: every scan fails with a clear reason, and no finding is
 * touched. The engine adapter replaces this bean; it is never presented as a scan.
 */
@DefaultBean
@ApplicationScoped
public class UnavailableCloudScanner implements CloudScanner {

  @Override
  public ScanOutcome scan(ScanInput input) {
    var now = Instant.now();
    return ScanOutcome.fatal(
        now, now, "EngineUnavailable", "this build contains no AWS scan engine", false);
  }
}
