package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.ec2.SnapshotBlockPublicAccess;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 10: the region's snapshot block public access is not {@code block-all-sharing}. */
public final class SnapshotBlockPublicAccessOffRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-ec2-snapshot-block-public-access-off")
          .title(
              "EBS snapshot block public access is not set to block all sharing",
              "EBS スナップショットのパブリックアクセスブロックが「すべての共有をブロック」になっていません")
          .remediation(
              "Enable snapshot block public access in block-all-sharing mode in every region (aws"
                  + " ec2 enable-snapshot-block-public-access --state block-all-sharing).",
              "すべてのリージョンでスナップショットのパブリックアクセスブロックを block-all-sharing で有効にしてください"
                  + " (aws ec2 enable-snapshot-block-public-access --state block-all-sharing)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-182")
          .severity(Severity.HIGH)
          .resourceType("AWS::::Account")
          .fsbp("EC2.182")
          .reads(SnapshotBlockPublicAccess.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var resource = view.accountSetting("ec2", "snapshot-block-public-access");
    var state = view.get(SnapshotBlockPublicAccess.class).state();
    if (SnapshotBlockPublicAccess.BLOCK_ALL.equals(state)) {
      results.add(RuleResult.pass(resource));
    } else {
      results.add(
          RuleResult.fail(
              resource, "Snapshot block public access in " + view.region() + " is " + state));
    }
  }
}
