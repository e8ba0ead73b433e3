package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.RuleRegistry;
import java.util.ArrayList;
import java.util.List;

/** Validates a {@link CloudPolicy} against the registry and picks the enabled rules. */
public final class RuleSelection {
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
        .filter(id -> registry.find(id).isEmpty())
        .sorted()
        .forEach(id -> errors.add("rules.include: unknown rule id '" + id + "'"));
    policy.exclude().stream()
        .filter(id -> registry.find(id).isEmpty())
        .sorted()
        .forEach(id -> errors.add("rules.exclude: unknown rule id '" + id + "'"));
    policy.severityOverrides().keySet().stream()
        .filter(id -> registry.find(id).isEmpty())
        .sorted()
        .forEach(id -> errors.add("severityOverrides: unknown rule id '" + id + "'"));
    errors.addAll(policy.parameters().validate());
    for (int i = 0; i < policy.exemptions().size(); i++) {
      errors.addAll(policy.exemptions().get(i).validate("exceptions[" + i + "]"));
    }
    return errors;
  }

  /** The enabled rules in registry order. */
  public static List<AwsRule> enabled(CloudPolicy policy, RuleRegistry registry) {
    var all = policy.frameworks().isEmpty() && policy.include().isEmpty();
    return registry.rules().stream()
        .filter(r -> all || policy.include().contains(r.id()) || inFramework(r, policy))
        .filter(r -> !policy.exclude().contains(r.id()))
        .toList();
  }

  private static boolean inFramework(AwsRule rule, CloudPolicy policy) {
    var m = rule.metadata();
    return (policy.frameworks().contains(CloudPolicy.CIS) && !m.cis().isEmpty())
        || (policy.frameworks().contains(CloudPolicy.FSBP) && !m.fsbp().isEmpty());
  }
}
