package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.ec2.NetworkInterfaces;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/**
 * Check 5: a VPC's default security group has any inbound or outbound rule. Like the other
 * security-group rules it judges only in-use groups unless {@code includeUnusedSecurityGroups} is
 * set, so untouched default VPCs in every region do not flood the findings.
 */
public final class DefaultSecurityGroupRulesRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-ec2-default-sg-has-rules")
          .title(
              "Default security group of a VPC has inbound or outbound rules",
              "VPC のデフォルトセキュリティグループにインバウンドまたはアウトバウンドルールがあります")
          .remediation(
              "Remove every inbound and outbound rule from the default security group and attach"
                  + " purpose-built security groups to resources instead.",
              "デフォルトセキュリティグループのインバウンド・アウトバウンドルールをすべて削除し、" + "リソースには用途別のセキュリティグループを割り当ててください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2")
          .severity(Severity.HIGH)
          .resourceType("AWS::EC2::SecurityGroup")
          .cis("5.5")
          .fsbp("EC2.2")
          .reads(SecurityGroups.class, NetworkInterfaces.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var groups = view.get(SecurityGroups.class).groups();
    var interfaces = view.get(NetworkInterfaces.class);
    for (var group : InternetExposure.groupsToJudge(groups, interfaces, parameters)) {
      if (!group.isDefault()) {
        continue;
      }
      var resource = OpenPortRuleSupport.resource(view, group);
      var inbound = group.ingress().size();
      var outbound = group.egress().size();
      if (inbound + outbound == 0) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(
                resource,
                "Default security group "
                    + group.groupId()
                    + " of "
                    + group.vpcId()
                    + " has "
                    + inbound
                    + " inbound and "
                    + outbound
                    + " outbound rule(s)"));
      }
    }
  }
}
