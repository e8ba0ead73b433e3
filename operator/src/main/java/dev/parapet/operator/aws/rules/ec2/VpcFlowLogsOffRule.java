package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.ec2.FlowLogs;
import dev.parapet.operator.aws.inventory.ec2.Vpcs;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.HashSet;
import java.util.List;

/** Check 31: a VPC has no flow log. */
public final class VpcFlowLogsOffRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-vpc-flow-logs-off")
          .title("VPC has no flow log", "VPC にフローログが設定されていません")
          .remediation(
              "Create a flow log for the VPC (at least REJECT traffic) to CloudWatch Logs or S3"
                  + " (aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> ...).",
              "VPC のフローログ (少なくとも REJECT トラフィック) を CloudWatch Logs または S3 に作成してください"
                  + " (aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> ...)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-6")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::EC2::VPC")
          .cis("3.7")
          .fsbp("EC2.6")
          .reads(Vpcs.class, FlowLogs.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var watched = new HashSet<String>();
    view.get(FlowLogs.class).flowLogs().forEach(f -> watched.add(f.resourceId()));
    for (var vpc : view.get(Vpcs.class).vpcs()) {
      var resource =
          view.resource("AWS::EC2::VPC", vpc.vpcId(), "ec2", "vpc/" + vpc.vpcId(), vpc.tags());
      if (watched.contains(vpc.vpcId())) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(RuleResult.fail(resource, "VPC " + vpc.vpcId() + " has no flow log"));
      }
    }
  }
}
