package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.ec2.Instances;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 6: an instance's metadata endpoint is enabled but does not require IMDSv2 tokens. */
public final class Imdsv2NotRequiredRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-ec2-imdsv2-not-required")
          .title(
              "EC2 instance does not require IMDSv2 (session tokens)",
              "EC2 インスタンスで IMDSv2 (セッショントークン) が必須になっていません")
          .remediation(
              "Set the instance metadata option HttpTokens to required (aws ec2"
                  + " modify-instance-metadata-options --http-tokens required), and set it in launch"
                  + " templates.",
              "インスタンスメタデータオプション HttpTokens を required に設定し (aws ec2"
                  + " modify-instance-metadata-options --http-tokens required)、起動テンプレートにも設定してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-8")
          .severity(Severity.HIGH)
          .resourceType("AWS::EC2::Instance")
          .cis("5.7")
          .fsbp("EC2.8")
          .reads(Instances.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var instance : view.get(Instances.class).instances()) {
      var resource =
          view.resource(
              "AWS::EC2::Instance",
              instance.instanceId(),
              "ec2",
              "instance/" + instance.instanceId(),
              instance.tags());
      var endpointOn = !"disabled".equalsIgnoreCase(instance.httpEndpoint());
      if (endpointOn && !"required".equalsIgnoreCase(instance.httpTokens())) {
        results.add(
            RuleResult.fail(
                resource,
                "Instance "
                    + instance.instanceId()
                    + " has the metadata endpoint enabled with HttpTokens="
                    + instance.httpTokens()));
      } else {
        results.add(RuleResult.pass(resource));
      }
    }
  }
}
