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

/**
 * CIS 1.10: an IAM user with a console password has an active access key that has never been used,
 * the sign of a key created with the user "just in case" (the benchmark's audit: password enabled
 * and a key's last-used date N/A in the credential report). Every user with a console password is
 * judged; users without one are outside the recommendation. The benchmark assesses 1.10 manually;
 * the credential report states the fields it audits, so the rule judges them. moto never records
 * key use, so on moto every active key of a console user counts as never used.
 */
public final class ConsoleUserUnusedKeyRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-iam-console-user-unused-key")
          .title(
              "IAM user with a console password has an active access key that was never used",
              "コンソールパスワードを持つ IAM ユーザーに、一度も使われていない有効なアクセスキーがあります")
          .remediation(
              "Delete access keys nobody uses (aws iam delete-access-key); create a key only when"
                  + " a program needs one, not when the user is set up.",
              "使われていないアクセスキーを削除してください (aws iam delete-access-key)。アクセスキーはユーザーの"
                  + "作成時ではなく、プログラムが必要とするときにだけ作成してください。",
              "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html")
          .severity(Severity.LOW)
          .resourceType("AWS::IAM::User")
          .cis("1.10")
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
      var unused =
          user.activeKeys().stream()
              .filter(k -> k.lastUsed() == null)
              .map(k -> "access key " + k.slot())
              .toList();
      var resource = IamResources.user(view, user.user(), user.arn());
      if (unused.isEmpty()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(
                resource,
                "User "
                    + user.user()
                    + " has a console password and never used active "
                    + String.join(", ", unused)));
      }
    }
  }
}
