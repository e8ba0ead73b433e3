package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.RuleRegistry;
import java.util.ArrayList;
import java.util.List;

/** Validates a {@link CloudPolicy} against the registry and picks the enabled rules. */
public final class RuleSelection {
  /** Services a policy or account may name, whether or not a shipped rule reads them yet. */
  public static final java.util.Set<String> SERVICES =
      java.util.Set.of("ec2", "s3", "iam", "cloudtrail", "kms", "rds");

  private RuleSelection() {}

  /** Every problem in the policy, each naming the field; empty when valid. */
  public static List<String> validate(CloudPolicy policy, RuleRegistry registry) {
    var errors = new ArrayList<String>();
    for (var f : policy.frameworks()) {
      if (!CloudPolicy.CIS.equals(f) && !CloudPolicy.FSBP.equals(f)) {
        errors.add(
            "frameworks: unknown framework '"
                + f
                + "' (known: "
                + CloudPolicy.CIS
                + ", "
                + CloudPolicy.FSBP
                + ")");
      }
    }
    policy.include().stream()
        .filter(p -> registry.rules().stream().noneMatch(r -> matches(p, r.id())))
        .sorted()
        .forEach(p -> errors.add("rules.include: '" + p + "' matches no rule id"));
    policy.exclude().stream()
        .filter(p -> registry.rules().stream().noneMatch(r -> matches(p, r.id())))
        .sorted()
        .forEach(p -> errors.add("rules.exclude: '" + p + "' matches no rule id"));
    var known = new java.util.TreeSet<String>(SERVICES);
    registry
        .rules()
        .forEach(r -> r.definition().allDatasets().forEach(d -> known.add(Datasets.service(d))));
    java.util.stream.Stream.concat(policy.services().stream(), policy.excludedServices().stream())
        .filter(s -> !known.contains(s))
        .sorted()
        .forEach(
            s ->
                errors.add(
                    "services: unknown service '"
                        + s
                        + "' (known: "
                        + String.join(", ", known)
                        + ")"));
    policy.severityOverrides().keySet().stream()
        .filter(id -> registry.find(id).isEmpty())
        .sorted()
        .forEach(id -> errors.add("severityOverrides: unknown rule id '" + id + "'"));
    errors.addAll(policy.parameters().validate());
    for (int i = 0; i < policy.exemptions().size(); i++) {
      var x = policy.exemptions().get(i);
      errors.addAll(x.validate("exceptions[" + i + "]"));
      var covered = registry.rules().stream().filter(r -> x.coversRule(r.id())).toList();
      if (!x.tags().isEmpty()
          && !covered.isEmpty()
          && covered.stream().noneMatch(r -> r.metadata().resourcesTagged())) {
        errors.add(
            "exceptions["
                + i
                + "].tags: can never match: the rules it names judge account-level settings,"
                + " whose results carry no tags; match by accounts or regions instead");
      }
    }
    return errors;
  }

  /** The enabled rules in registry order. */
  public static List<AwsRule> enabled(CloudPolicy policy, RuleRegistry registry) {
    var all = policy.frameworks().isEmpty() && policy.include().isEmpty();
    return registry.rules().stream()
        .filter(r -> all || anyMatches(policy.include(), r.id()) || inFramework(r, policy))
        .filter(r -> !anyMatches(policy.exclude(), r.id()))
        .filter(r -> servicesAllowed(r, policy))
        .toList();
  }

  /** An id or a prefix ending in {@code *}. */
  static boolean matches(String pattern, String id) {
    return pattern.endsWith("*")
        ? id.startsWith(pattern.substring(0, pattern.length() - 1))
        : pattern.equals(id);
  }

  private static boolean anyMatches(java.util.Set<String> patterns, String id) {
    return patterns.stream().anyMatch(p -> matches(p, id));
  }

  private static boolean servicesAllowed(AwsRule rule, CloudPolicy policy) {
    return rule.definition().allDatasets().stream()
        .map(Datasets::service)
        .allMatch(
            s ->
                (policy.services().isEmpty() || policy.services().contains(s))
                    && !policy.excludedServices().contains(s));
  }

  private static boolean inFramework(AwsRule rule, CloudPolicy policy) {
    var m = rule.metadata();
    return (policy.frameworks().contains(CloudPolicy.CIS) && !m.cis().isEmpty())
        || (policy.frameworks().contains(CloudPolicy.FSBP) && !m.fsbp().isEmpty());
  }
}
