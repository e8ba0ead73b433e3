package dev.parapet.operator.scan;

import dev.parapet.api.v1alpha1.CloudAccountStatus;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The result of one scan as the operator consumes it.
 *
 * @param fatal set when the scan could not run at all (credentials, identity mismatch); then no
 *     finding may change
 * @param evaluatedRules rules that ran; findings of other rules are resolved
 * @param unknown (rule, region) scopes that could not be evaluated; their findings stay untouched
 * @param outOfTarget results (PASS or FAIL) of resources outside the account's scan targets ({@code
 *     spec.scan.targets}); their findings are resolved as out of target
 */
public record ScanOutcome(
    Fatal fatal,
    CloudAccountStatus.Identity identity,
    Instant startedAt,
    Instant finishedAt,
    long apiCalls,
    long resources,
    List<CloudAccountStatus.RegionState> regions,
    List<CloudAccountStatus.ScanError> errors,
    Set<String> evaluatedRules,
    List<CheckResult> failures,
    Set<RuleRegion> unknown,
    List<String> requiredPermissions,
    List<CheckResult> outOfTarget) {

  /** An outcome without scan targets. */
  public ScanOutcome(
      Fatal fatal,
      CloudAccountStatus.Identity identity,
      Instant startedAt,
      Instant finishedAt,
      long apiCalls,
      long resources,
      List<CloudAccountStatus.RegionState> regions,
      List<CloudAccountStatus.ScanError> errors,
      Set<String> evaluatedRules,
      List<CheckResult> failures,
      Set<RuleRegion> unknown,
      List<String> requiredPermissions) {
    this(
        fatal,
        identity,
        startedAt,
        finishedAt,
        apiCalls,
        resources,
        regions,
        errors,
        evaluatedRules,
        failures,
        unknown,
        requiredPermissions,
        List.of());
  }

  public ScanOutcome {
    regions = regions == null ? List.of() : List.copyOf(regions);
    errors = errors == null ? List.of() : List.copyOf(errors);
    evaluatedRules = evaluatedRules == null ? Set.of() : Set.copyOf(evaluatedRules);
    failures = failures == null ? List.of() : List.copyOf(failures);
    unknown = unknown == null ? Set.of() : Set.copyOf(unknown);
    requiredPermissions =
        requiredPermissions == null ? List.of() : List.copyOf(requiredPermissions);
    outOfTarget = outOfTarget == null ? List.of() : List.copyOf(outOfTarget);
  }

  /** Why a scan could not run. {@code credentials} tells whether the credentials were at fault. */
  public record Fatal(String reason, String message, boolean credentials) {}

  /** A scan that could not run at all. */
  public static ScanOutcome fatal(
      Instant startedAt, Instant finishedAt, String reason, String message, boolean credentials) {
    return new ScanOutcome(
        new Fatal(reason, message, credentials),
        null,
        startedAt,
        finishedAt,
        0,
        0,
        List.of(),
        List.of(),
        Set.of(),
        List.of(),
        Set.of(),
        List.of());
  }

  /** True when the scan ran but some services or regions could not be read. */
  public boolean degraded() {
    return fatal == null && (!errors.isEmpty() || !unknown.isEmpty());
  }
}
