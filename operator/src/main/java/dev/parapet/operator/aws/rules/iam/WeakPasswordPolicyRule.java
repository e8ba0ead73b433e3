package dev.parapet.operator.aws.rules.iam;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.iam.PasswordPolicy;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Check 23: the account password policy is missing, shorter than {@code minPasswordLength} (14), or
 * prevents reuse of fewer than {@code passwordReusePrevention} (24) passwords.
 */
public final class WeakPasswordPolicyRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-iam-weak-password-policy")
          .title(
              "IAM password policy is missing or weak (length under 14 or reuse prevention under 24)",
              "IAM パスワードポリシーが存在しないか弱いです (最小長 14 未満または再利用防止 24 未満)")
          .remediation(
              "Set a password policy with a minimum length of at least 14 and reuse prevention of"
                  + " 24 (aws iam update-account-password-policy --minimum-password-length 14"
                  + " --password-reuse-prevention 24).",
              "最小長 14 以上、再利用防止 24 のパスワードポリシーを設定してください (aws iam"
                  + " update-account-password-policy --minimum-password-length 14"
                  + " --password-reuse-prevention 24)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-7")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::::Account")
          .cis("1.7", "1.8")
          .fsbp("IAM.7")
          .reads(PasswordPolicy.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var resource = view.accountSetting("iam", "password-policy");
    var policy = view.get(PasswordPolicy.class);
    if (!policy.present()) {
      results.add(RuleResult.fail(resource, "The account has no IAM password policy"));
      return;
    }
    var weak = new ArrayList<String>();
    if (policy.minimumLength() < parameters.minPasswordLength()) {
      weak.add("minimum length " + policy.minimumLength() + " < " + parameters.minPasswordLength());
    }
    if (policy.reusePrevention() < parameters.passwordReusePrevention()) {
      weak.add(
          "reuse prevention "
              + policy.reusePrevention()
              + " < "
              + parameters.passwordReusePrevention());
    }
    if (weak.isEmpty()) {
      results.add(RuleResult.pass(resource));
    } else {
      results.add(RuleResult.fail(resource, "Password policy is weak: " + String.join("; ", weak)));
    }
  }
}
