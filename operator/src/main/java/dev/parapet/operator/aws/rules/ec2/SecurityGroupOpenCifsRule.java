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

/**
 * CIS 5.1.2: an in-use security group allows CIFS/SMB (TCP 445) from 0.0.0.0/0 or ::/0. TCP 445 is
 * also one of the default ports of {@code aws-ec2-sg-sensitive-port-open}, whose port list a policy
 * can change; this rule judges 445 alone so that the CIS recommendation has its own verdict.
 */
public final class SecurityGroupOpenCifsRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-ec2-sg-cifs-open")
          .title(
              "Security group allows CIFS/SMB (TCP 445) from the internet",
              "セキュリティグループがインターネットからの CIFS/SMB (TCP 445) を許可しています")
          .remediation(
              "Remove the ingress rule for TCP 445 from 0.0.0.0/0 and ::/0; allow file sharing only"
                  + " from trusted networks (known CIDRs or security groups) or over a VPN.",
              "0.0.0.0/0 と ::/0 からの TCP 445 のインバウンドルールを削除し、ファイル共有は信頼できるネットワーク"
                  + " (既知の CIDR またはセキュリティグループ) または VPN 経由でのみ許可してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19")
          .severity(Severity.HIGH)
          .resourceType("AWS::EC2::SecurityGroup")
          .cis("5.1.2")
          .fsbp("EC2.19")
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
    OpenPortRuleSupport.judge(view, parameters, Set.of(445), results);
  }
}
