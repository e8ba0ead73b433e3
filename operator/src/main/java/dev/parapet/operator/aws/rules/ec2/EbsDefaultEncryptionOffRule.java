package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.ec2.EbsDefaultEncryption;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 7: EBS encryption by default is off in a region. */
public final class EbsDefaultEncryptionOffRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-ec2-ebs-default-encryption-off")
          .title(
              "EBS encryption by default is disabled in the region",
              "リージョンで EBS のデフォルト暗号化が無効になっています")
          .remediation(
              "Enable EBS encryption by default in every region (aws ec2"
                  + " enable-ebs-encryption-by-default --region <region>).",
              "すべてのリージョンで EBS のデフォルト暗号化を有効にしてください (aws ec2"
                  + " enable-ebs-encryption-by-default --region <region>)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-7")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::::Account")
          .cis("5.1.1")
          .fsbp("EC2.7")
          .reads(EbsDefaultEncryption.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var resource = view.accountSetting("ec2", "ebs-encryption-by-default");
    if (view.get(EbsDefaultEncryption.class).enabled()) {
      results.add(RuleResult.pass(resource));
    } else {
      results.add(
          RuleResult.fail(resource, "EBS encryption by default is disabled in " + view.region()));
    }
  }
}
