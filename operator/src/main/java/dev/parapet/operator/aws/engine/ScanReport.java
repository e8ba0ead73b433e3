package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.rules.ResultStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one scan found. {@code results} holds FAIL and PASS per resource and UNKNOWN per (rule,
 * region); {@code unknownScopes} repeats the UNKNOWN (rule, region) pairs for the finding writer.
 * {@code apiCalls} counts logical calls per {@code service:Operation}; {@code apiAttempts} includes
 * retries. {@code outOfTarget} holds the PASS and FAIL results of resources outside the scan
 * targets ({@link ScanTargets}): judged, but not reported; the operator resolves their Findings.
 */
public record ScanReport(
    String accountId,
    String identityArn,
    Instant startedAt,
    Instant finishedAt,
    List<String> regions,
    List<String> enabledRules,
    List<String> requiredIamActions,
    long apiCallCount,
    long apiAttempts,
    Map<String, Long> apiCalls,
    int resourcesScanned,
    List<RegionState> regionStates,
    List<CollectionError> errors,
    List<ScanResult> results,
    List<UnknownScope> unknownScopes,
    List<ScanResult> outOfTarget) {

  /** A report without scan targets. */
  public ScanReport(
      String accountId,
      String identityArn,
      Instant startedAt,
      Instant finishedAt,
      List<String> regions,
      List<String> enabledRules,
      List<String> requiredIamActions,
      long apiCallCount,
      long apiAttempts,
      Map<String, Long> apiCalls,
      int resourcesScanned,
      List<RegionState> regionStates,
      List<CollectionError> errors,
      List<ScanResult> results,
      List<UnknownScope> unknownScopes) {
    this(
        accountId,
        identityArn,
        startedAt,
        finishedAt,
        regions,
        enabledRules,
        requiredIamActions,
        apiCallCount,
        apiAttempts,
        apiCalls,
        resourcesScanned,
        regionStates,
        errors,
        results,
        unknownScopes,
        List.of());
  }

  public ScanReport {
    regions = List.copyOf(regions);
    enabledRules = List.copyOf(enabledRules);
    requiredIamActions = List.copyOf(requiredIamActions);
    apiCalls = Map.copyOf(apiCalls);
    regionStates = List.copyOf(regionStates);
    errors = List.copyOf(errors);
    results = List.copyOf(results);
    unknownScopes = List.copyOf(unknownScopes);
    outOfTarget = outOfTarget == null ? List.of() : List.copyOf(outOfTarget);
  }

  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }

  public List<ScanResult> withStatus(ResultStatus status) {
    return results.stream().filter(r -> r.status() == status).toList();
  }

  /** FAIL results. */
  public List<ScanResult> failures() {
    return withStatus(ResultStatus.FAIL);
  }

  public boolean unknown(String ruleId, String region) {
    return unknownScopes.stream()
        .anyMatch(s -> s.ruleId().equals(ruleId) && s.region().equals(region));
  }
}
