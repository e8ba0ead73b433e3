package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Lifecycle of a finding. Timestamps move only on a state change. */
@JsonClassDescription("Lifecycle of a finding. Timestamps move only when the state changes.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FindingStatus(
    @JsonPropertyDescription(
            "Open, Resolved (no longer failing) or Suppressed (matched by an exception).")
        State state,
    @JsonPropertyDescription("When the failure was first observed (RFC 3339).") String firstSeen,
    @JsonPropertyDescription("When state last changed (RFC 3339).") String lastTransitionTime,
    @JsonPropertyDescription("When the finding was resolved (RFC 3339).") String resolvedAt,
    @JsonPropertyDescription("The exception that suppresses this finding.")
        SuppressedBy suppressedBy,
    @JsonPropertyDescription(
            "When the finding last reopened: it failed again after it had been Resolved (RFC 3339).")
        String reopenedAt,
    @JsonPropertyDescription("How many times the finding reopened after it had been Resolved.")
        Integer reopenCount,
    @JsonPropertyDescription(
            "Set when the parapet.dev/triage label holds a value other than acknowledged,"
                + " in-progress or risk-accepted: the label is left as it is but ignored (the"
                + " finding counts as untriaged).")
        String invalidTriage,
    @JsonPropertyDescription(
            "Why a Resolved finding was resolved when it is not simply that the check no longer"
                + " fails: OutOfScanTarget (the resource left the CloudAccount's"
                + " spec.scan.targets, e.g. its tags changed; it is no longer judged).")
        String resolvedReason,
    @JsonPropertyDescription(
            "Auto-remediation of this finding: the planned or made API call, when, the state"
                + " before and after, and the outcome. Written only when a PosturePolicy's"
                + " remediation covers the rule.")
        Remediation remediation) {

  /** Set on a finding resolved because its resource left the CloudAccount's scan targets. */
  public static final String RESOLVED_OUT_OF_SCAN_TARGET = "OutOfScanTarget";

  /** A status without a resolution reason or remediation. */
  public FindingStatus(
      State state,
      String firstSeen,
      String lastTransitionTime,
      String resolvedAt,
      SuppressedBy suppressedBy,
      String reopenedAt,
      Integer reopenCount,
      String invalidTriage) {
    this(
        state,
        firstSeen,
        lastTransitionTime,
        resolvedAt,
        suppressedBy,
        reopenedAt,
        reopenCount,
        invalidTriage,
        null,
        null);
  }

  /** A status with a resolution reason and without remediation. */
  public FindingStatus(
      State state,
      String firstSeen,
      String lastTransitionTime,
      String resolvedAt,
      SuppressedBy suppressedBy,
      String reopenedAt,
      Integer reopenCount,
      String invalidTriage,
      String resolvedReason) {
    this(
        state,
        firstSeen,
        lastTransitionTime,
        resolvedAt,
        suppressedBy,
        reopenedAt,
        reopenCount,
        invalidTriage,
        resolvedReason,
        null);
  }

  /** This status with {@code r} as its remediation record. */
  public FindingStatus withRemediation(Remediation r) {
    return new FindingStatus(
        state,
        firstSeen,
        lastTransitionTime,
        resolvedAt,
        suppressedBy,
        reopenedAt,
        reopenCount,
        invalidTriage,
        resolvedReason,
        r);
  }

  /** Outcomes of a remediation attempt. */
  public enum RemediationState {
    /** DryRun: the call is shown, nothing was changed. */
    @JsonProperty("Planned")
    PLANNED,
    /** Apply: the call was made and the rescan no longer fails the rule. */
    @JsonProperty("Verified")
    VERIFIED,
    /** Apply: the call was made but the rescan still fails the rule (or could not tell). */
    @JsonProperty("NotResolved")
    NOT_RESOLVED,
    /** Apply: the call failed; retried with backoff, at most once per scan. */
    @JsonProperty("Failed")
    FAILED,
    /** Nothing was (or would be) done, and why: excluded, limit, kill switch, no write role. */
    @JsonProperty("Skipped")
    SKIPPED
  }

  /** One remediation attempt on this finding. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Remediation(
      @JsonPropertyDescription("DryRun or Apply.") String mode,
      @JsonPropertyDescription("The action, e.g. ec2-revoke-ssh-ingress.") String action,
      @JsonPropertyDescription("Planned, Verified, NotResolved, Failed or Skipped.")
          RemediationState state,
      @JsonPropertyDescription(
              "The exact API call Apply makes (DryRun) or made (Apply), e.g."
                  + " ec2:RevokeSecurityGroupIngress {...}.")
          String call,
      @JsonPropertyDescription("The resource's relevant configuration before the call.")
          String before,
      @JsonPropertyDescription("The same configuration read back after the call (Apply).")
          String after,
      @JsonPropertyDescription("When the attempt was made (RFC 3339).") String at,
      @JsonPropertyDescription("Why it was skipped, how it failed, or what the rescan found.")
          String message,
      @JsonPropertyDescription("Failed attempts in a row (drives the retry backoff).")
          Integer failures) {}

  /** A status that never reopened and has no triage problem. */
  public FindingStatus(
      State state,
      String firstSeen,
      String lastTransitionTime,
      String resolvedAt,
      SuppressedBy suppressedBy) {
    this(state, firstSeen, lastTransitionTime, resolvedAt, suppressedBy, null, null, null);
  }

  /** Finding states. */
  public enum State {
    @JsonProperty("Open")
    OPEN,
    @JsonProperty("Resolved")
    RESOLVED,
    @JsonProperty("Suppressed")
    SUPPRESSED
  }

  /** The exception that suppresses a finding. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SuppressedBy(
      @JsonPropertyDescription("Name of the PosturePolicy.") String policy,
      @JsonPropertyDescription("Name of the exception within the policy.") String exception,
      @JsonPropertyDescription("The exception's reason.") String reason,
      @JsonPropertyDescription("When the exception expires (RFC 3339); the finding reopens then.")
          String expiresAt) {}
}
