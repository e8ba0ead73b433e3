package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.operator.aws.rules.InventoryFixture.failed;
import static dev.parapet.operator.aws.rules.InventoryFixture.passed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ec2.FlowLogs;
import dev.parapet.operator.aws.inventory.ec2.FlowLogs.FlowLog;
import dev.parapet.operator.aws.inventory.ec2.Vpcs;
import dev.parapet.operator.aws.inventory.ec2.Vpcs.Vpc;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VpcFlowLogsOffRuleTest {
  private final VpcFlowLogsOffRule rule = new VpcFlowLogsOffRule();

  @Test
  void vpcWithoutFlowLogFailsLoggedPasses() {
    var inv =
        InventoryFixture.regions()
            .with(
                new Vpcs(
                    List.of(
                        new Vpc("vpc-bare", false, Map.of()), new Vpc("vpc-log", true, Map.of()))))
            .with(
                new FlowLogs(
                    List.of(
                        new FlowLog("fl-1", "vpc-log", "ACTIVE"),
                        new FlowLog("fl-2", "subnet-1", "ACTIVE"))))
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(failed(results)).containsExactly("vpc-bare");
    assertThat(passed(results)).containsExactly("vpc-log");
  }

  @Test
  void unknownFlowLogsMeanUnknownEvenWhenVpcsAreKnown() {
    var inv =
        InventoryFixture.regions()
            .with(new Vpcs(List.of(new Vpc("vpc-bare", false, Map.of()))))
            .unknown(FlowLogs.class, UnknownReason.AccessDenied)
            .build();
    assertThat(rule.evaluate(inv, RuleParameters.defaults()))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN);
              assertThat(r.cause().reason()).isEqualTo(UnknownReason.AccessDenied);
            });
  }
}
