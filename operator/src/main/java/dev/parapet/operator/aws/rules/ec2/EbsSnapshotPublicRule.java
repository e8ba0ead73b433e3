package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.Ownership;
import dev.parapet.operator.aws.inventory.Unknown;
import dev.parapet.operator.aws.inventory.ec2.Snapshots;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/**
 * Check 9: an EBS snapshot owned by the account is restorable by everyone. Judged on the returned
 * fields: the snapshot's OwnerId is the scanned account, and its createVolumePermission names the
 * group {@code all}; an unreadable permission is UNKNOWN, never PASS or FAIL.
 */
public final class EbsSnapshotPublicRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-ec2-snapshot-public")
          .title("EBS snapshot is publicly restorable", "EBS スナップショットが一般公開 (誰でも復元可能) になっています")
          .remediation(
              "Remove the 'all' group from the snapshot's createVolumePermission (aws ec2"
                  + " modify-snapshot-attribute --operation-type remove --group-names all) and turn on"
                  + " snapshot block public access.",
              "スナップショットの createVolumePermission から 'all' グループを削除し (aws ec2"
                  + " modify-snapshot-attribute --operation-type remove --group-names all)、"
                  + "スナップショットのパブリックアクセスブロックを有効にしてください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-1")
          .severity(Severity.CRITICAL)
          .resourceType("AWS::EC2::Snapshot")
          .fsbp("EC2.1")
          .reads(Snapshots.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var snapshot : view.get(Snapshots.class).snapshots()) {
      if (!Ownership.ownedBy(snapshot.ownerId(), view.accountId())) {
        continue; // another account's snapshot: not this account's to judge
      }
      if (snapshot.publicRestore() instanceof Unknown<Boolean> unknown) {
        results.add(RuleResult.unknown(view.region(), unknown.error()));
        continue;
      }
      var resource =
          view.resourceWithoutAccountInArn(
              "AWS::EC2::Snapshot",
              snapshot.snapshotId(),
              "ec2",
              "snapshot/" + snapshot.snapshotId(),
              snapshot.tags());
      if (((Known<Boolean>) snapshot.publicRestore()).value()) {
        results.add(
            RuleResult.fail(
                resource,
                "Snapshot "
                    + snapshot.snapshotId()
                    + " of "
                    + snapshot.volumeId()
                    + " can be restored by any AWS account"));
      } else {
        results.add(RuleResult.pass(resource));
      }
    }
  }
}
