package dev.parapet.operator.remediation;

import dev.parapet.operator.aws.engine.IamPolicyGenerator;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The table of remediation: rule id → action → the IAM actions the write role needs. The docs table
 * ({@code docs/remediation.md}) and the write-role policy ({@code
 * deploy/aws/remediation-policy.json}) are generated from it and checked for drift.
 */
public final class RemediationCatalogue {

  private static final List<RemediationAction> ACTIONS =
      List.of(
          RevokeInternetIngress.port("ec2-revoke-ssh-ingress", "aws-ec2-sg-ssh-open", 22),
          RevokeInternetIngress.port("ec2-revoke-rdp-ingress", "aws-ec2-sg-rdp-open", 3389),
          RevokeInternetIngress.allPorts(
              "ec2-revoke-all-ports-ingress", "aws-ec2-sg-all-ports-open"),
          new RequireImdsv2(),
          new BlockBucketPublicAccess(),
          new BlockAccountPublicAccess(),
          new EnableEbsDefaultEncryption(),
          new DeactivateUnusedAccessKeys());

  private static final Map<String, RemediationAction> BY_RULE =
      ACTIONS.stream()
          .collect(Collectors.toUnmodifiableMap(RemediationAction::ruleId, Function.identity()));

  private RemediationCatalogue() {}

  /** Every action, in table order. */
  public static List<RemediationAction> actions() {
    return ACTIONS;
  }

  /** The action that resolves a rule, if there is one. */
  public static Optional<RemediationAction> forRule(String ruleId) {
    return Optional.ofNullable(BY_RULE.get(ruleId));
  }

  /** The IAM actions a write role needs for {@code actions}. */
  public static SortedSet<String> iamActions(List<RemediationAction> actions) {
    var out = new TreeSet<String>();
    actions.forEach(a -> out.addAll(a.iamActions()));
    return out;
  }

  /** The write-role policy for every action (what the CloudFormation template grants). */
  public static String policyJson() {
    return IamPolicyGenerator.policyJson("ParapetRemediation", iamActions(ACTIONS));
  }

  /** The generated table of docs/remediation.md (between its markers). */
  public static String markdownTable() {
    var sb = new StringBuilder();
    sb.append(
        "| rule | action | what it changes | IAM actions (write role) | undo / cannot undo |\n");
    sb.append("|---|---|---|---|---|\n");
    ACTIONS.stream()
        .sorted(Comparator.comparing(RemediationAction::ruleId))
        .forEach(
            a ->
                sb.append("| `")
                    .append(a.ruleId())
                    .append("` | `")
                    .append(a.id())
                    .append("` | ")
                    .append(a.summary())
                    .append(" | ")
                    .append(
                        new TreeSet<>(a.iamActions())
                            .stream().map(x -> "`" + x + "`").collect(Collectors.joining(", ")))
                    .append(" | ")
                    .append(a.undo())
                    .append(" |\n"));
    return sb.toString();
  }
}
