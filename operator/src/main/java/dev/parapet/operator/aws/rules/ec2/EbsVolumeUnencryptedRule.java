package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.ec2.Volumes;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 8: an attached EBS volume is not encrypted (unattached volumes are not judged). */
public final class EbsVolumeUnencryptedRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-ec2-ebs-volume-unencrypted")
          .title("Attached EBS volume is not encrypted", "アタッチされた EBS ボリュームが暗号化されていません")
          .remediation(
              "Snapshot the volume, copy the snapshot with encryption enabled, create a volume from"
                  + " it and swap it in; enable EBS encryption by default to prevent new ones.",
              "ボリュームのスナップショットを取得し、暗号化を有効にしてコピーしたスナップショットからボリュームを作成して差し替えてください。"
                  + "EBS のデフォルト暗号化を有効にして再発を防いでください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-3")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::EC2::Volume")
          .cis("5.1.1")
          .fsbp("EC2.3")
          .reads(Volumes.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var volume : view.get(Volumes.class).volumes()) {
      if (volume.attachedTo().isEmpty()) {
        continue;
      }
      var resource =
          view.resource(
              "AWS::EC2::Volume",
              volume.volumeId(),
              "ec2",
              "volume/" + volume.volumeId(),
              volume.tags());
      if (volume.encrypted()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(
                resource,
                "Volume "
                    + volume.volumeId()
                    + " attached to "
                    + String.join(", ", volume.attachedTo())
                    + " is not encrypted"));
      }
    }
  }
}
