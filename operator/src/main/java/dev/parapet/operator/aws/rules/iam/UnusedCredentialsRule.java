package dev.parapet.operator.aws.rules.iam;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.iam.AuthorizationDetails;
import dev.parapet.operator.aws.inventory.iam.CredentialReport;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Check 21: an IAM user's enabled password or active access key has not been used for {@code
 * unusedCredentialDays} (45) or more. A credential never used counts from when it was set (password
 * last changed, key last rotated, else the user's creation). A credential for which the report
 * gives none of these dates is not judged: that user yields UNKNOWN, never a pass.
 */
public final class UnusedCredentialsRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-iam-unused-credentials")
          .title(
              "IAM user has a password or access key unused for 45 days or more",
              "IAM ユーザーに 45 日以上使われていないパスワードまたはアクセスキーがあります")
          .remediation(
              "Deactivate or delete credentials that are not used: remove the console password (aws"
                  + " iam delete-login-profile) and deactivate unused access keys (aws iam"
                  + " update-access-key --status Inactive).",
              "使われていない認証情報を無効化または削除してください。コンソールパスワードを削除し (aws iam"
                  + " delete-login-profile)、未使用のアクセスキーを無効化してください (aws iam update-access-key"
                  + " --status Inactive)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-22")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::IAM::User")
          .cis("1.11")
          .fsbp("IAM.8", "IAM.22")
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
    var limit = parameters.unusedCredentialDays();
    for (var user : view.get(CredentialReport.class).users()) {
      if (user.root() || (!user.hasPassword() && user.activeKeys().isEmpty())) {
        continue;
      }
      var unused = new ArrayList<String>();
      var undated = new ArrayList<String>();
      if (user.hasPassword()) {
        var since =
            first(user.passwordLastUsed(), user.passwordLastChanged(), user.userCreationTime());
        if (since == null) {
          undated.add("password");
        } else if (IamResources.days(since, view.now()) >= limit) {
          unused.add(
              (user.passwordLastUsed() == null
                      ? "password never used, set "
                      : "password last used ")
                  + IamResources.date(since));
        }
      }
      for (var key : user.activeKeys()) {
        var since = first(key.lastUsed(), key.lastRotated(), user.userCreationTime());
        if (since == null) {
          undated.add("access key " + key.slot());
        } else if (IamResources.days(since, view.now()) >= limit) {
          unused.add(
              "access key "
                  + key.slot()
                  + (key.lastUsed() == null ? " never used, created " : " last used ")
                  + IamResources.date(since));
        }
      }
      var resource = IamResources.user(view, user.user(), user.arn());
      if (unused.isEmpty() && !undated.isEmpty()) {
        results.add(IamResources.undated(user.user(), undated));
      } else if (unused.isEmpty()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(
                resource,
                "User "
                    + user.user()
                    + ": "
                    + String.join("; ", unused)
                    + " (limit: "
                    + limit
                    + " days unused)"));
      }
    }
  }

  private static Instant first(Instant... candidates) {
    for (var c : candidates) {
      if (c != null) {
        return c;
      }
    }
    return null;
  }
}
