package dev.parapet.operator.aws.export;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One Parapet Finding as the Security Hub export sees it: plain values, no Kubernetes types (the
 * operator's {@code securityhub} package builds it from a Finding object).
 *
 * @param id the ASFF {@code Id}: stable for the life of the Finding (the same Id updates the same
 *     Security Hub finding)
 * @param description the evidence (already redacted by the Finding writer; redacted again on
 *     export)
 * @param resourceRegion the resource's region, or {@code global} for account-wide resources
 * @param firstObservedAt when Parapet first saw the failure (the Finding's {@code firstSeen})
 * @param suppressedBy {@code policy/exception} when a policy exception suppresses it, else null
 */
public record ExportedFinding(
    String id,
    String ruleId,
    String title,
    String description,
    Severity severity,
    List<RuleMetadata.Control> controls,
    String resourceType,
    String resourceId,
    String resourceArn,
    String resourceRegion,
    String remediationText,
    String remediationUrl,
    Instant firstObservedAt,
    Disposition disposition,
    String suppressedBy) {

  /** What the Finding's state means in Security Hub. */
  public enum Disposition {
    /** Failing: RecordState ACTIVE, Compliance.Status FAILED. */
    OPEN,
    /**
     * Failing, but a policy exception accepted it: RecordState ARCHIVED (no longer to act on),
     * Compliance.Status FAILED (it still fails the control).
     */
    SUPPRESSED,
    /** No longer failing: RecordState ARCHIVED, Compliance.Status PASSED. */
    RESOLVED
  }

  public ExportedFinding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(disposition, "disposition");
    Objects.requireNonNull(firstObservedAt, "firstObservedAt");
    controls = controls == null ? List.of() : List.copyOf(controls);
  }

  /**
   * A digest of everything the export sends except its timestamps of the moment (UpdatedAt,
   * LastObservedAt), plus the destination product ARN: equal digests mean Security Hub already
   * holds this content, so the finding is not imported again.
   */
  public String fingerprint(String productArn) {
    var parts =
        List.of(
            productArn,
            id,
            ruleId,
            String.valueOf(title),
            String.valueOf(description),
            severity.name(),
            controls.toString(),
            String.valueOf(resourceType),
            String.valueOf(resourceId),
            String.valueOf(resourceArn),
            String.valueOf(resourceRegion),
            String.valueOf(remediationText),
            String.valueOf(remediationUrl),
            firstObservedAt.toString(),
            disposition.name(),
            String.valueOf(suppressedBy));
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      for (var p : parts) {
        digest.update(p.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
