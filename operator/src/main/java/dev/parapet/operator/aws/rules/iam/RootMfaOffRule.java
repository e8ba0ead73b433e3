package dev.parapet.operator.aws.rules.iam;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.iam.AccountSummary;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 18: the root user has no MFA device (GetAccountSummary AccountMFAEnabled = 0). */
public final class RootMfaOffRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-iam-root-mfa-off")
          .title("Root user has no MFA", "ルートユーザーに MFA が設定されていません")
          .remediation(
              "Sign in as the root user and assign an MFA device (preferably a hardware or passkey"
                  + " device) under Security credentials.",
              "ルートユーザーでサインインし、「セキュリティ認証情報」から MFA デバイス (できればハードウェアまたはパスキー)" + " を割り当ててください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-9")
          .severity(Severity.CRITICAL)
          .resourceType("AWS::::Account")
          .cis("1.4")
          .fsbp("IAM.9")
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
    var mfa = view.get(AccountSummary.class).value("AccountMFAEnabled");
    if (mfa == null) {
      results.add(
          RuleResult.unknown(resource.region(), SummaryKeys.missing(view, "AccountMFAEnabled")));
    } else if (mfa == 1) {
      results.add(RuleResult.pass(resource));
    } else {
      results.add(
          RuleResult.fail(resource, "The root user has no MFA device (AccountMFAEnabled=0)"));
    }
  }
}
