package dev.parapet.operator.aws.rules.iam;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import dev.parapet.operator.aws.inventory.iam.AuthorizationDetails;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;
import java.util.Map;

/**
 * Check 24: an attached managed policy (default version) or an inline policy of a user, group or
 * role has a statement allowing {@code *} on {@code *} (conditions do not excuse it). Unattached
 * managed policies are not judged. An inline policy's resource carries the tags of the user or role
 * it belongs to (managed policies and groups carry none).
 */
public final class AdminPolicyAttachedRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-iam-admin-policy-attached")
          .title(
              "IAM policy allowing full administrative privileges (\"*\" on \"*\") is in use",
              "完全な管理者権限 (\"*\" に対する \"*\") を許可する IAM ポリシーが使用されています")
          .remediation(
              "Replace the policy with one granting only the actions and resources needed, then"
                  + " detach it (aws iam detach-*-policy) or delete the inline policy.",
              "必要なアクションとリソースだけを許可するポリシーに置き換え、このポリシーをデタッチするか"
                  + " (aws iam detach-*-policy)、インラインポリシーを削除してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1")
          .severity(Severity.HIGH)
          .resourceType("AWS::IAM::Policy")
          .cis("1.15")
          .fsbp("IAM.1")
          .reads(AuthorizationDetails.class)
          .tagsNote("inline policies carry their user's or role's tags; managed policies none")
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var details = view.get(AuthorizationDetails.class);
    for (var policy : details.managedPolicies()) {
      if (policy.attachmentCount() < 1) {
        continue;
      }
      var resource =
          new Resource(
              "AWS::IAM::ManagedPolicy",
              policy.name(),
              policy.arn(),
              view.accountId(),
              Datasets.GLOBAL,
              Map.of());
      if (allowsAll(policy.defaultVersion())) {
        results.add(
            RuleResult.fail(
                resource,
                "Managed policy "
                    + policy.arn()
                    + " (attached "
                    + policy.attachmentCount()
                    + "x) allows * on *"));
      } else {
        results.add(RuleResult.pass(resource));
      }
    }
    for (var inline : details.inlinePolicies()) {
      // Inline policies have no ARN; this synthetic one names principal and policy uniquely.
      var resource =
          new Resource(
              "AWS::IAM::" + inline.principalType() + "Policy",
              inline.principalName() + "/" + inline.policyName(),
              inline.principalArn() + "/inline-policy/" + inline.policyName(),
              view.accountId(),
              Datasets.GLOBAL,
              details.tagsOf(inline.principalArn()));
      if (allowsAll(inline.document())) {
        results.add(
            RuleResult.fail(
                resource,
                "Inline policy "
                    + inline.policyName()
                    + " of "
                    + inline.principalType().toLowerCase(java.util.Locale.ROOT)
                    + " "
                    + inline.principalName()
                    + " allows * on *"));
      } else {
        results.add(RuleResult.pass(resource));
      }
    }
  }

  static boolean allowsAll(PolicyDocument document) {
    return document.statements().stream()
        .anyMatch(
            s ->
                s.allows()
                    && s.notActions().isEmpty()
                    && s.notResources().isEmpty()
                    && s.actions().stream().anyMatch(a -> a.equals("*") || a.equals("*:*"))
                    && s.resources().contains("*"));
  }
}
