package dev.parapet.operator.aws.rules.securityhub;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.cis.SecurityHubState;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** CIS 4.16: Security Hub is not enabled in the region (DescribeHub says not subscribed). */
public final class SecurityHubDisabledRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-securityhub-disabled")
          .title(
              "AWS Security Hub is not enabled in the region",
              "リージョンで AWS Security Hub が有効になっていません")
          .remediation(
              "Enable Security Hub in every region you use (aws securityhub enable-security-hub),"
                  + " or centrally from the delegated administrator account.",
              "利用するすべてのリージョンで Security Hub を有効にしてください (aws securityhub enable-security-hub)。"
                  + "委任管理者アカウントから一括で有効にすることもできます。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-enable.html")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::::Account")
          .cis("4.16")
          .reads(SecurityHubState.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var resource = view.accountSetting("securityhub", "hub/default");
    if (view.get(SecurityHubState.class).enabled()) {
      results.add(RuleResult.pass(resource));
    } else {
      results.add(RuleResult.fail(resource, "Security Hub is not enabled in " + view.region()));
    }
  }
}
