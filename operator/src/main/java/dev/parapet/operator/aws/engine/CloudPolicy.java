package dev.parapet.operator.aws.engine;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.rules.RuleParameters;
import java.util.Map;
import java.util.Set;

/**
 * What the engine runs and how. {@code rules} names the rules to run by id ({@code null}: every
 * rule; empty: none): choosing them from frameworks and include/exclude patterns is the policy's
 * job (the operator's {@code PolicyMerger}, the one rule-selection model for PosturePolicies), not
 * the engine's. {@code services} / {@code excludedServices} (e.g. {@code ec2}, {@code s3}) keep
 * only rules whose datasets all come from allowed services, so no collector of an excluded service
 * runs. {@code targets} narrows the resources resource-level rules judge by tag ({@link
 * ScanTargets}).
 */
public record CloudPolicy(
    Set<String> rules,
    Map<String, Severity> severityOverrides,
    RuleParameters parameters,
    Set<String> services,
    Set<String> excludedServices,
    ScanTargets targets) {

  /** A policy that judges every resource (no tag targets). */
  public CloudPolicy(
      Set<String> rules,
      Map<String, Severity> severityOverrides,
      RuleParameters parameters,
      Set<String> services,
      Set<String> excludedServices) {
    this(rules, severityOverrides, parameters, services, excludedServices, null);
  }

  public CloudPolicy {
    rules = rules == null ? null : Set.copyOf(rules);
    severityOverrides = severityOverrides == null ? Map.of() : Map.copyOf(severityOverrides);
    parameters = parameters == null ? RuleParameters.defaults() : parameters;
    services = services == null ? Set.of() : Set.copyOf(services);
    excludedServices = excludedServices == null ? Set.of() : Set.copyOf(excludedServices);
    targets = targets == null ? ScanTargets.ALL : targets;
  }

  /** Every rule, default parameters. */
  public static CloudPolicy defaults() {
    return new CloudPolicy(null, null, null, null, null);
  }

  /** Only the given rules, default parameters. */
  public static CloudPolicy only(String... ruleIds) {
    return new CloudPolicy(Set.of(ruleIds), null, null, null, null);
  }

  /** True when the rule is among those to run (before the service scope narrows them). */
  public boolean runs(String ruleId) {
    return rules == null || rules.contains(ruleId);
  }

  public CloudPolicy withParameters(RuleParameters p) {
    return new CloudPolicy(rules, severityOverrides, p, services, excludedServices, targets);
  }

  public CloudPolicy withSeverityOverrides(Map<String, Severity> overrides) {
    return new CloudPolicy(rules, overrides, parameters, services, excludedServices, targets);
  }

  public CloudPolicy withServices(Set<String> only, Set<String> excluded) {
    return new CloudPolicy(rules, severityOverrides, parameters, only, excluded, targets);
  }

  public CloudPolicy withTargets(ScanTargets newTargets) {
    return new CloudPolicy(
        rules, severityOverrides, parameters, services, excludedServices, newTargets);
  }
}
