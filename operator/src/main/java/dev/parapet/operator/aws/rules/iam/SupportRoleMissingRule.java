package dev.parapet.operator.aws.rules.iam;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.iam.AuthorizationDetails;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/**
 * CIS 1.16: no IAM role has the AWS managed policy {@code AWSSupportAccess} attached, so nobody can
 * manage incidents with AWS Support through a role. Judged once per account on the roles' attached
 * policies in GetAccountAuthorizationDetails (CIS audits it with ListEntitiesForPolicy; the answer
 * the other IAM rules read already says it).
 */
public final class SupportRoleMissingRule extends GlobalRule {

  static final String POLICY_NAME = "AWSSupportAccess";

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-iam-support-role-missing")
          .title(
              "No IAM role has the AWSSupportAccess policy for managing incidents with AWS Support",
              "AWS サポートでインシデントを管理するための AWSSupportAccess ポリシーを持つ IAM ロールがありません")
          .remediation(
              "Create a role that the people who handle incidents can assume and attach the AWS"
                  + " managed policy arn:aws:iam::aws:policy/AWSSupportAccess to it.",
              "インシデント対応者が引き受けられるロールを作成し、AWS マネージドポリシー"
                  + " arn:aws:iam::aws:policy/AWSSupportAccess をアタッチしてください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-18")
          .severity(Severity.LOW)
          .resourceType("AWS::::Account")
          .cis("1.16")
          .fsbp("IAM.18")
          .reads(AuthorizationDetails.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var policyArn = "arn:" + view.partition() + ":iam::aws:policy/" + POLICY_NAME;
    var resource = view.accountSetting("iam", "support-role");
    var roles =
        view.get(AuthorizationDetails.class).attachments().stream()
            .filter(p -> "Role".equals(p.principalType()))
            .filter(p -> p.managedPolicyArns().contains(policyArn))
            .map(AuthorizationDetails.Attachments::principalName)
            .sorted()
            .toList();
    if (roles.isEmpty()) {
      results.add(RuleResult.fail(resource, "No IAM role has " + policyArn + " attached"));
    } else {
      results.add(RuleResult.pass(resource));
    }
  }
}
