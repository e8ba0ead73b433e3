package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.Ownership;
import dev.parapet.operator.aws.inventory.ec2.Images;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/**
 * Check 11: an AMI owned by the account is public. Neither CIS v5.0.0 nor FSBP has a control for it
 * (aws-checks.md lists none), so its control lists are empty by design.
 */
public final class AmiPublicRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-ec2-ami-public")
          .title("AMI owned by the account is public", "アカウント所有の AMI が公開されています")
          .remediation(
              "Make the image private (aws ec2 modify-image-attribute --launch-permission"
                  + " \"Remove=[{Group=all}]\") and enable block public access for AMIs.",
              "イメージを非公開にし (aws ec2 modify-image-attribute --launch-permission"
                  + " \"Remove=[{Group=all}]\")、AMI のパブリックアクセスブロックを有効にしてください。",
              "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html")
          .severity(Severity.CRITICAL)
          .resourceType("AWS::EC2::Image")
          .reads(Images.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var image : view.get(Images.class).images()) {
      if (!Ownership.ownedBy(image.ownerId(), view.accountId())) {
        continue; // another account's image (e.g. a public AMI): not this account's to judge
      }
      var resource =
          view.resourceWithoutAccountInArn(
              "AWS::EC2::Image", image.imageId(), "ec2", "image/" + image.imageId(), image.tags());
      if (image.isPublic()) {
        results.add(
            RuleResult.fail(
                resource, "Image " + image.imageId() + " (" + image.name() + ") is public"));
      } else {
        results.add(RuleResult.pass(resource));
      }
    }
  }
}
