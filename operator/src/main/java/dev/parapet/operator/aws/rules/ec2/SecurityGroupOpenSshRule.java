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
import java.util.Set;

/** Check 1: an in-use security group allows TCP 22 from 0.0.0.0/0 or ::/0. */
public final class SecurityGroupOpenSshRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-ec2-sg-ssh-open")
          .title(
              "Security group allows SSH (TCP 22) from the internet",
              "セキュリティグループがインターネットからの SSH (TCP 22) を許可しています")
          .remediation(
              "Remove the ingress rule for TCP 22 from 0.0.0.0/0 and ::/0; allow SSH only from"
                  + " known CIDRs, or use Session Manager instead of open SSH.",
              "0.0.0.0/0 と ::/0 からの TCP 22 のインバウンドルールを削除し、SSH は既知の CIDR"
                  + " からのみ許可するか、Session Manager を使用してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13")
          .severity(Severity.HIGH)
          .resourceType("AWS::EC2::SecurityGroup")
          .cis("5.3", "5.4")
          .fsbp("EC2.13", "EC2.53", "EC2.54")
          .reads(SecurityGroups.class, NetworkInterfaces.class)
          .coveredBy(SecurityGroupAllPortsOpenRule.ID)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    OpenPortRuleSupport.judge(view, parameters, Set.of(22), results);
  }
}
