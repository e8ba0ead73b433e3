package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.operator.aws.rules.InventoryFixture.failed;
import static dev.parapet.operator.aws.rules.InventoryFixture.passed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ec2.Instances;
import dev.parapet.operator.aws.inventory.ec2.Instances.Instance;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Imdsv2NotRequiredRuleTest {
  private final Imdsv2NotRequiredRule rule = new Imdsv2NotRequiredRule();

  @Test
  void optionalTokensWithEndpointOnFailRequiredOrEndpointOffPass() {
    var inv =
        InventoryFixture.regions()
            .with(
                new Instances(
                    List.of(
                        new Instance("i-optional", "running", "optional", "enabled", Map.of()),
                        new Instance("i-required", "running", "required", "enabled", Map.of()),
                        new Instance("i-off", "stopped", "optional", "disabled", Map.of()))))
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(failed(results)).containsExactly("i-optional");
    assertThat(passed(results)).containsExactly("i-required", "i-off");
    assertThat(results.get(0).resource().arn())
        .isEqualTo("arn:aws:ec2:eu-west-1:123456789012:instance/i-optional");
  }

  @Test
  void unknownInstancesMeanUnknown() {
    var inv = InventoryFixture.regions().unknown(Instances.class, UnknownReason.Timeout).build();
    assertThat(rule.evaluate(inv, RuleParameters.defaults()))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN));
  }
}
