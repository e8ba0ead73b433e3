package dev.parapet.operator.aws.engine;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.rules.RuleParameters;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cloud part of the applicable policy. Rule selection: no frameworks and no includes = every
 * rule; otherwise the rules with a control in one of {@code frameworks} ({@value #CIS}, {@value
 * #FSBP}) plus {@code include}, minus {@code exclude} (exclude wins). Include and exclude take rule
 * ids or prefixes ending in {@code *}. {@code services} / {@code excludedServices} (e.g. {@code
 * ec2}, {@code s3}) keep only rules whose datasets all come from allowed services.
 */
public record CloudPolicy(
    Set<String> frameworks,
    Set<String> include,
    Set<String> exclude,
    Map<String, Severity> severityOverrides,
    RuleParameters parameters,
    List<Exemption> exemptions,
    Set<String> services,
    Set<String> excludedServices) {

  public static final String CIS = "cis-aws";
  public static final String FSBP = "aws-fsbp";

  public CloudPolicy {
    frameworks = frameworks == null ? Set.of() : Set.copyOf(frameworks);
    include = include == null ? Set.of() : Set.copyOf(include);
    exclude = exclude == null ? Set.of() : Set.copyOf(exclude);
    severityOverrides = severityOverrides == null ? Map.of() : Map.copyOf(severityOverrides);
    parameters = parameters == null ? RuleParameters.defaults() : parameters;
    exemptions = exemptions == null ? List.of() : List.copyOf(exemptions);
    services = services == null ? Set.of() : Set.copyOf(services);
    excludedServices = excludedServices == null ? Set.of() : Set.copyOf(excludedServices);
  }

  /** A policy over every service. */
  public CloudPolicy(
      Set<String> frameworks,
      Set<String> include,
      Set<String> exclude,
      Map<String, Severity> severityOverrides,
      RuleParameters parameters,
      List<Exemption> exemptions) {
    this(frameworks, include, exclude, severityOverrides, parameters, exemptions, null, null);
  }

  public static CloudPolicy defaults() {
    return new CloudPolicy(null, null, null, null, null, null);
  }

  /** Only the given rules, default parameters. */
  public static CloudPolicy only(String... ruleIds) {
    return new CloudPolicy(null, Set.of(ruleIds), null, null, null, null);
  }

  public CloudPolicy withParameters(RuleParameters p) {
    return new CloudPolicy(
        frameworks, include, exclude, severityOverrides, p, exemptions, services, excludedServices);
  }

  public CloudPolicy withExemptions(List<Exemption> e) {
    return new CloudPolicy(
        frameworks, include, exclude, severityOverrides, parameters, e, services, excludedServices);
  }

  public CloudPolicy withSeverityOverrides(Map<String, Severity> overrides) {
    return new CloudPolicy(
        frameworks,
        include,
        exclude,
        overrides,
        parameters,
        exemptions,
        services,
        excludedServices);
  }

  public CloudPolicy withServices(Set<String> only, Set<String> excluded) {
    return new CloudPolicy(
        frameworks, include, exclude, severityOverrides, parameters, exemptions, only, excluded);
  }
}
