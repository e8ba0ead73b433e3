package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.ec2.Instances;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/**
 * CIS 1.17: an EC2 instance has no IAM instance profile, so whatever calls AWS from it must use
 * long-lived keys. Judged on {@code IamInstanceProfile} of the DescribeInstances answer the IMDSv2
 * rule reads (no extra call); terminated instances are not listed.
 */
public final class InstanceWithoutIamRoleRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-ec2-instance-no-iam-role")
          .title(
              "EC2 instance has no IAM instance profile (role) attached",
              "EC2 インスタンスに IAM インスタンスプロファイル (ロール) がアタッチされていません")
          .remediation(
              "Attach an instance profile whose role grants what the instance needs (aws ec2"
                  + " associate-iam-instance-profile) and remove any access keys stored on the"
                  + " instance.",
              "インスタンスに必要な権限を持つロールのインスタンスプロファイルをアタッチし"
                  + " (aws ec2 associate-iam-instance-profile)、インスタンス上に保存されたアクセスキーを削除してください。",
              "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html")
          .severity(Severity.LOW)
          .resourceType("AWS::EC2::Instance")
          .cis("1.17")
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
      if (instance.instanceProfileArn() == null || instance.instanceProfileArn().isBlank()) {
        results.add(
            RuleResult.fail(
                resource, "Instance " + instance.instanceId() + " has no IAM instance profile"));
      } else {
        results.add(RuleResult.pass(resource));
      }
    }
  }
}
