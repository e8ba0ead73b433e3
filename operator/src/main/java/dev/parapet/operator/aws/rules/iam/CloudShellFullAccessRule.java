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
 * CIS 1.21: a user, group or role has the AWS managed policy {@code AWSCloudShellFullAccess}
 * attached (it allows uploading and downloading files through CloudShell, a path for data to
 * leave). Judged once per account on the attached policies in GetAccountAuthorizationDetails, the
 * answer the other IAM rules read. The benchmark assesses 1.21 manually (an organisation may grant
 * the policy on purpose to a few); the rule states the fact, an exception records the intent.
 */
public final class CloudShellFullAccessRule extends GlobalRule {

  static final String POLICY_NAME = "AWSCloudShellFullAccess";

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-iam-cloudshell-full-access")
          .title(
              "An IAM user, group or role has the AWSCloudShellFullAccess policy attached",
              "IAM ユーザー、グループまたはロールに AWSCloudShellFullAccess ポリシーがアタッチされています")
          .remediation(
              "Detach arn:aws:iam::aws:policy/AWSCloudShellFullAccess from every user, group and"
                  + " role; grant a custom policy without file upload and download where CloudShell"
                  + " is needed.",
              "arn:aws:iam::aws:policy/AWSCloudShellFullAccess をすべてのユーザー、グループ、ロールから"
                  + "デタッチしてください。CloudShell が必要な場合は、ファイルのアップロードとダウンロードを含まない"
                  + "カスタムポリシーを付与してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-27")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::::Account")
          .cis("1.21")
          .fsbp("IAM.27")
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
    var resource = view.accountSetting("iam", "cloudshell-full-access");
    var holders =
        view.get(AuthorizationDetails.class).attachments().stream()
            .filter(p -> p.managedPolicyArns().contains(policyArn))
            .map(
                p -> p.principalType().toLowerCase(java.util.Locale.ROOT) + " " + p.principalName())
            .sorted()
            .toList();
    if (holders.isEmpty()) {
      results.add(RuleResult.pass(resource));
    } else {
      results.add(
          RuleResult.fail(resource, policyArn + " is attached to " + String.join(", ", holders)));
    }
  }
}
