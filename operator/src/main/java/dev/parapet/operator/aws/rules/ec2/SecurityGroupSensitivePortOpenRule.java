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

/** Check 4: an in-use security group opens one of the policy's sensitive ports to the internet. */
public final class SecurityGroupSensitivePortOpenRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-ec2-sg-sensitive-port-open")
          .title(
              "Security group allows a high-risk port (database, mail, SMB, ...) from the internet",
              "セキュリティグループがインターネットからの高リスクポート (データベース、メール、SMB など) を許可しています")
          .remediation(
              "Restrict ingress on the listed ports to known CIDRs or security groups; databases"
                  + " and caches should never be reachable from 0.0.0.0/0 or ::/0.",
              "記載されたポートのインバウンドを既知の CIDR またはセキュリティグループに制限してください。"
                  + "データベースやキャッシュを 0.0.0.0/0 や ::/0 から到達可能にしてはいけません。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19")
          .severity(Severity.HIGH)
          .resourceType("AWS::EC2::SecurityGroup")
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
    OpenPortRuleSupport.judge(view, parameters, parameters.sensitivePorts(), results);
  }
}
