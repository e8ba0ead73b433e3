package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.operator.aws.rules.InventoryFixture.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ec2.SnapshotBlockPublicAccess;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import org.junit.jupiter.api.Test;

class SnapshotBlockPublicAccessOffRuleTest {
  private final SnapshotBlockPublicAccessOffRule rule = new SnapshotBlockPublicAccessOffRule();

  @Test
  void onlyBlockAllSharingPasses() {
    var inv =
        InventoryFixture.regions("r-a-1", "r-b-1", "r-c-1", "r-d-1")
            .with("r-a-1", new SnapshotBlockPublicAccess("block-all-sharing"))
            .with("r-b-1", new SnapshotBlockPublicAccess("block-new-sharing"))
            .with("r-c-1", new SnapshotBlockPublicAccess("unblocked"))
            .unknown(SnapshotBlockPublicAccess.class, "r-d-1", UnknownReason.Unsupported)
            .build();
    assertThat(statuses(rule.evaluate(inv, RuleParameters.defaults())))
        .containsExactly(
            ResultStatus.PASS, ResultStatus.FAIL, ResultStatus.FAIL, ResultStatus.UNKNOWN);
  }
}
