package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.operator.aws.inventory.Fact.known;
import static dev.parapet.operator.aws.rules.InventoryFixture.ACCOUNT;
import static dev.parapet.operator.aws.rules.InventoryFixture.failed;
import static dev.parapet.operator.aws.rules.InventoryFixture.passed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ec2.Snapshots;
import dev.parapet.operator.aws.inventory.ec2.Snapshots.Snapshot;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EbsSnapshotPublicRuleTest {
  private final EbsSnapshotPublicRule rule = new EbsSnapshotPublicRule();

  @Test
  void publicSnapshotFailsPrivatePasses() {
    var inv =
        InventoryFixture.regions()
            .with(
                new Snapshots(
                    List.of(
                        new Snapshot("snap-pub", ACCOUNT, "vol-1", false, known(true), Map.of()),
                        new Snapshot("snap-priv", ACCOUNT, "vol-1", true, known(false), Map.of()))))
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(failed(results)).containsExactly("snap-pub");
    assertThat(passed(results)).containsExactly("snap-priv");
    assertThat(results.get(0).resource().arn())
        .isEqualTo("arn:aws:ec2:eu-west-1::snapshot/snap-pub");
  }

  /** An endpoint ignoring OwnerIds=self: another account's public snapshot is no finding. */
  @Test
  void anotherAccountsSnapshotIsNeitherFailNorPass() {
    var inv =
        InventoryFixture.regions()
            .with(
                new Snapshots(
                    List.of(
                        new Snapshot("snap-foreign", "111122223333", "v", false, known(true), null),
                        new Snapshot("snap-noowner", null, "v", false, known(true), null))))
            .build();
    assertThat(rule.evaluate(inv, RuleParameters.defaults())).isEmpty();
  }

  @Test
  void anUnreadablePermissionIsUnknownNotPass() {
    var error =
        new CollectionError(
            "ec2", "eu-west-1", "DescribeSnapshotAttribute", UnknownReason.AccessDenied, "denied");
    var inv =
        InventoryFixture.regions()
            .with(
                new Snapshots(
                    List.of(
                        new Snapshot("snap-q", ACCOUNT, "v", false, Fact.unknown(error), null))))
            .build();
    assertThat(rule.evaluate(inv, RuleParameters.defaults()))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN));
  }

  @Test
  void unknownSnapshotsMeanUnknown() {
    var inv = InventoryFixture.regions().unknown(Snapshots.class, UnknownReason.Throttled).build();
    assertThat(rule.evaluate(inv, RuleParameters.defaults()))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN));
  }
}
