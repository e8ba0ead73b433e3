package dev.parapet.operator.securityhub;

import dev.parapet.api.v1alpha1.Condition;

/**
 * What the Security Hub export of one scan did, as the {@value #CONDITION} condition of the
 * CloudAccount shows it.
 *
 * @param status True (Security Hub holds the account's Findings), False (some or all could not be
 *     exported; they stay in Kubernetes and the next scan tries again) or Unknown (no export ran)
 * @param calls BatchImportFindings calls of this export (0 when nothing changed)
 * @param active findings imported as ACTIVE (new, changed, reopened or refreshed)
 * @param archived findings imported as ARCHIVED (resolved or suppressed since the last export)
 * @param failed findings Security Hub refused after one retry, or that were never sent because the
 *     export stopped
 */
public record ExportRecord(
    String status,
    String reason,
    String message,
    long calls,
    int active,
    int archived,
    int failed) {

  /** The CloudAccount condition type. */
  public static final String CONDITION = "SecurityHubExported";

  static ExportRecord notRun(String reason, String message) {
    return new ExportRecord(Condition.UNKNOWN, reason, message, 0, 0, 0, 0);
  }

  static ExportRecord invalid(String message) {
    return new ExportRecord(Condition.FALSE, "InvalidSpec", message, 0, 0, 0, 0);
  }

  /** The condition (without times; the status aggregator keeps transition times). */
  public Condition condition() {
    return new Condition(CONDITION, status, reason, message, null, null);
  }
}
