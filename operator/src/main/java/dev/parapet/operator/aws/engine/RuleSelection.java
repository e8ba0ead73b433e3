package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.RuleRegistry;
import java.util.ArrayList;
import java.util.List;

/** Validates a {@link CloudPolicy} against the registry and picks the rules it runs. */
public final class RuleSelection {
  /** Services a policy or account may name, whether or not a shipped rule reads them yet. */
  public static final java.util.Set<String> SERVICES =
      java.util.Set.of(
          "ec2",
          "s3",
          "iam",
          "cloudtrail",
          "kms",
          "rds",
          // FSBP services (h/fsbp)
          "elb",
          "lambda",
          "ecr",
          "eks",
          "sns",
          "sqs",
          "secretsmanager",
          "guardduty");

  private RuleSelection() {}

  /** Every problem in the policy, each naming the field; empty when valid. */
  public static List<String> validate(CloudPolicy policy, RuleRegistry registry) {
    var errors = new ArrayList<String>();
    if (policy.rules() != null) {
      policy.rules().stream()
          .filter(id -> registry.find(id).isEmpty())
          .sorted()
          .forEach(id -> errors.add("rules: unknown rule id '" + id + "'"));
    }
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
    return errors;
  }

  /** The rules to run, in registry order: those the policy names, within its services. */
  public static List<AwsRule> enabled(CloudPolicy policy, RuleRegistry registry) {
    return registry.rules().stream()
        .filter(r -> policy.runs(r.id()))
        .filter(r -> servicesAllowed(r, policy))
        .toList();
  }

  private static boolean servicesAllowed(AwsRule rule, CloudPolicy policy) {
    return rule.definition().allDatasets().stream()
        .map(Datasets::service)
        .allMatch(
            s ->
                (policy.services().isEmpty() || policy.services().contains(s))
                    && !policy.excludedServices().contains(s));
  }
}
