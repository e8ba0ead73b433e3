package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.ec2.NetworkInterfaces;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.ArrayList;
import java.util.List;

/** Check 3: an in-use security group admits all traffic or all ports from the internet. */
public final class SecurityGroupAllPortsOpenRule extends RegionalRule {

  static final String ID = "aws-ec2-sg-all-ports-open";

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder(ID)
          .title(
              "Security group allows all ports from the internet",
              "セキュリティグループがインターネットからの全ポートを許可しています")
          .remediation(
              "Replace the all-traffic / 0-65535 ingress rule from 0.0.0.0/0 or ::/0 with rules for"
                  + " the specific ports and sources the workload needs.",
              "0.0.0.0/0 または ::/0 からの全トラフィック / 0-65535 のインバウンドルールを、ワークロードに必要な"
                  + "ポートと送信元だけを許可するルールに置き換えてください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18")
          .severity(Severity.CRITICAL)
          .resourceType("AWS::EC2::SecurityGroup")
          .cis("5.3", "5.4")
          .fsbp("EC2.18")
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
      var evidence = new ArrayList<String>();
      for (var permission : group.ingress()) {
        var sources = InternetExposure.internetSources(permission);
        if (!sources.isEmpty() && InternetExposure.allPorts(permission)) {
          evidence.add(InternetExposure.describe(permission, sources));
        }
      }
      var resource = OpenPortRuleSupport.resource(view, group);
      if (evidence.isEmpty()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(
                resource,
                "Security group "
                    + group.groupId()
                    + " ("
                    + group.groupName()
                    + ") allows "
                    + String.join("; ", evidence)));
      }
    }
  }
}
