package dev.parapet.operator.cli;

import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.Severity;
import java.util.List;

/**
 * Exit codes of the CLI: 0 clean, 1 findings at or above --fail-on (for {@code check}, also any
 * Deny verdict), 2 bad input or a failed scan.
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FINDINGS = 1;
  public static final int ERROR = 2;

  private ExitCodes() {}

  /**
   * {@code check}: FINDINGS when the webhook would deny an object, whatever the threshold (as a CI
   * gate must not pass what the cluster rejects), else as {@link #forFindings}.
   */
  static int forCheck(boolean denied, List<Reported> findings, Severity threshold) {
    return denied ? FINDINGS : forFindings(findings, threshold);
  }

  /** FINDINGS when an open (not suppressed) finding is at least as severe as the threshold. */
  static int forFindings(List<Reported> findings, Severity threshold) {
    if (threshold == null) {
      return OK;
    }
    for (var r : findings) {
      var f = r.finding();
      var suppressed =
          f.getStatus() != null && f.getStatus().state() == FindingStatus.State.SUPPRESSED;
      if (!suppressed && f.getSpec().rule().severity().atLeast(threshold)) {
        return FINDINGS;
      }
    }
    return OK;
  }
}
