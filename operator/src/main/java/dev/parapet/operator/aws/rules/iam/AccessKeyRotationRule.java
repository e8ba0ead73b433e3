package dev.parapet.operator.aws.rules.iam;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.iam.AuthorizationDetails;
import dev.parapet.operator.aws.inventory.iam.CredentialReport;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Check 22: an IAM user has an active access key older than {@code maxAccessKeyAgeDays} (90), or
 * more than one active access key. Every user row of the credential report is judged: a user with
 * no active key complies with both (CIS 1.12 and 1.13 ask about the active keys a user has), so it
 * passes. An active key whose age the report does not give (no rotation date and no user creation
 * date) is not judged: that user yields UNKNOWN, never a pass.
 */
public final class AccessKeyRotationRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-iam-access-key-not-rotated")
          .title(
              "IAM user has an active access key older than 90 days, or two active keys",
              "IAM ユーザーに 90 日を超えて有効なアクセスキー、または有効なアクセスキーが 2 つあります")
          .remediation(
              "Rotate the key: create a new key, move workloads to it, then deactivate and delete"
                  + " the old one; keep at most one active key per user.",
              "アクセスキーをローテーションしてください。新しいキーを作成してワークロードを移行し、古いキーを無効化して"
                  + "削除します。ユーザーごとに有効なキーは 1 つまでにしてください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-3")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::IAM::User")
          .cis("1.13", "1.12")
          .fsbp("IAM.3")
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
    var maxAge = parameters.maxAccessKeyAgeDays();
    for (var user : view.get(CredentialReport.class).users()) {
      if (user.root()) {
        continue;
      }
      var active = user.activeKeys();
      var problems = new ArrayList<String>();
      var undated = new ArrayList<String>();
      for (var key : active) {
        var created = key.lastRotated() != null ? key.lastRotated() : user.userCreationTime();
        if (created == null) {
          undated.add("access key " + key.slot());
        } else if (IamResources.days(created, view.now()) > maxAge) {
          problems.add(
              "access key "
                  + key.slot()
                  + (key.lastRotated() != null
                      ? " created "
                      : " with no rotation date, of a user created ")
                  + IamResources.date(created)
                  + ", older than the "
                  + maxAge
                  + "-day limit");
        }
      }
      if (active.size() > 1) {
        problems.add(active.size() + " access keys are active");
      }
      var resource = IamResources.user(view, user.user(), user.arn());
      if (problems.isEmpty() && !undated.isEmpty()) {
        results.add(IamResources.undated(user.user(), undated));
      } else if (problems.isEmpty()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(resource, "User " + user.user() + ": " + String.join("; ", problems)));
      }
    }
  }
}
