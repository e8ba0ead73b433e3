package dev.parapet.operator.aws.rules.iam;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.iam.AuthorizationDetails;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.ArrayList;
import java.util.List;

/**
 * CIS 1.14: an IAM user has a managed policy attached or an inline policy of its own, instead of
 * receiving permissions only through groups. Judged on the user entries of
 * GetAccountAuthorizationDetails (the same answer the admin-policy rule reads: no per-user calls).
 */
public final class UserDirectPoliciesRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-iam-user-direct-policies")
          .title(
              "IAM user has policies attached directly instead of through groups",
              "IAM ユーザーにグループ経由ではなくポリシーが直接アタッチされています")
          .remediation(
              "Put the user in an IAM group that carries the permissions, then detach the user's"
                  + " managed policies (aws iam detach-user-policy) and delete its inline policies"
                  + " (aws iam delete-user-policy).",
              "権限を持つ IAM グループにユーザーを追加し、ユーザーに直接アタッチされたマネージドポリシーをデタッチ"
                  + " (aws iam detach-user-policy)、インラインポリシーを削除 (aws iam delete-user-policy)"
                  + " してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-2")
          .severity(Severity.LOW)
          .resourceType("AWS::IAM::User")
          .cis("1.14")
          .fsbp("IAM.2")
          .reads(AuthorizationDetails.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var p : view.get(AuthorizationDetails.class).attachments()) {
      if (!"User".equals(p.principalType())) {
        continue;
      }
      var resource = IamResources.user(view, p.principalName(), p.principalArn());
      var direct = new ArrayList<String>();
      p.managedPolicyArns().forEach(a -> direct.add("managed " + a));
      p.inlinePolicyNames().forEach(n -> direct.add("inline " + n));
      if (direct.isEmpty()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(
                resource,
                "User "
                    + p.principalName()
                    + " has policies of its own: "
                    + String.join(", ", direct.stream().sorted().toList())));
      }
    }
  }
}
