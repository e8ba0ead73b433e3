package dev.parapet.operator.aws.rules.iam;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.iam.AccountSummary;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 19: the root user has access keys (GetAccountSummary AccountAccessKeysPresent = 1). */
public final class RootAccessKeyRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-iam-root-access-key")
          .title("Root user has access keys", "ルートユーザーにアクセスキーが存在します")
          .remediation(
              "Sign in as the root user and delete its access keys under Security credentials; use"
                  + " IAM roles or users with least privilege instead.",
              "ルートユーザーでサインインし、「セキュリティ認証情報」からアクセスキーを削除してください。代わりに最小権限の"
                  + " IAM ロールまたはユーザーを使用してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-4")
          .severity(Severity.CRITICAL)
          .resourceType("AWS::::Account")
          .cis("1.3")
          .fsbp("IAM.4")
          .reads(AccountSummary.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var resource = IamResources.root(view);
    var keys = view.get(AccountSummary.class).value("AccountAccessKeysPresent");
    if (keys == null) {
      results.add(
          RuleResult.unknown(
              resource.region(), SummaryKeys.missing(view, "AccountAccessKeysPresent")));
    } else if (keys == 0) {
      results.add(RuleResult.pass(resource));
    } else {
      results.add(
          RuleResult.fail(resource, "The root user has access keys (AccountAccessKeysPresent=1)"));
    }
  }
}
