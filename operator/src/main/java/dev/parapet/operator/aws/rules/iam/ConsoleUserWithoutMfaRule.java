package dev.parapet.operator.aws.rules.iam;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.iam.AuthorizationDetails;
import dev.parapet.operator.aws.inventory.iam.CredentialReport;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 20: an IAM user has a console password but no MFA (credential report). */
public final class ConsoleUserWithoutMfaRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-iam-console-user-without-mfa")
          .title(
              "IAM user with a console password has no MFA",
              "コンソールパスワードを持つ IAM ユーザーに MFA が設定されていません")
          .remediation(
              "Assign an MFA device to the user (aws iam enable-mfa-device), or remove the console"
                  + " password if the user does not sign in (aws iam delete-login-profile).",
              "ユーザーに MFA デバイスを割り当てるか (aws iam enable-mfa-device)、サインインしないユーザーであれば"
                  + "コンソールパスワードを削除してください (aws iam delete-login-profile)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-5")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::IAM::User")
          .cis("1.9")
          .fsbp("IAM.5")
          .reads(CredentialReport.class)
          .tagsFrom(AuthorizationDetails.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var user : view.get(CredentialReport.class).users()) {
      if (user.root() || !user.hasPassword()) {
        continue;
      }
      var resource = IamResources.user(view, user.user(), user.arn());
      if (user.mfaActive()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(
                resource, "User " + user.user() + " has a console password and no MFA device"));
      }
    }
  }
}
