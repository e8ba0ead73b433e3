package dev.parapet.operator.aws.rules.s3;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.s3.AccountPublicAccessBlock;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 12: the four account-level S3 Block Public Access flags are not all on. */
public final class AccountPublicAccessBlockOffRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-s3-account-public-access-block-off")
          .title(
              "S3 Block Public Access is not fully enabled for the account",
              "アカウントの S3 ブロックパブリックアクセスが完全には有効になっていません")
          .remediation(
              "Turn on all four account-level Block Public Access settings (aws s3control"
                  + " put-public-access-block --account-id <id> --public-access-block-configuration"
                  + " BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true).",
              "アカウントレベルのブロックパブリックアクセス設定 4 項目をすべて有効にしてください (aws s3control"
                  + " put-public-access-block --account-id <id> --public-access-block-configuration"
                  + " BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-1")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::::Account")
          .cis("2.1.4")
          .fsbp("S3.1")
          .reads(AccountPublicAccessBlock.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var resource = view.accountSetting("s3", "account-public-access-block");
    var settings = view.get(AccountPublicAccessBlock.class).settings();
    if (settings.allBlocked()) {
      results.add(RuleResult.pass(resource));
    } else if (!settings.configured()) {
      results.add(
          RuleResult.fail(resource, "No account-level Block Public Access configuration exists"));
    } else {
      results.add(
          RuleResult.fail(
              resource, "Account-level Block Public Access flags off: " + settings.off()));
    }
  }
}
