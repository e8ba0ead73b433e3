package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.operator.aws.rules.InventoryFixture.failed;
import static dev.parapet.operator.aws.rules.InventoryFixture.passed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ec2.Volumes;
import dev.parapet.operator.aws.inventory.ec2.Volumes.Volume;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EbsVolumeUnencryptedRuleTest {
  private final EbsVolumeUnencryptedRule rule = new EbsVolumeUnencryptedRule();

  @Test
  void attachedUnencryptedFailsEncryptedPassesDetachedIgnored() {
    var inv =
        InventoryFixture.regions()
            .with(
                new Volumes(
                    List.of(
                        new Volume("vol-plain", false, List.of("i-1"), Map.of()),
                        new Volume("vol-enc", true, List.of("i-1"), Map.of()),
                        new Volume("vol-spare", false, List.of(), Map.of()))))
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(failed(results)).containsExactly("vol-plain");
    assertThat(passed(results)).containsExactly("vol-enc");
  }

  @Test
  void unknownVolumesMeanUnknown() {
    var inv = InventoryFixture.regions().unknown(Volumes.class, UnknownReason.AccessDenied).build();
    assertThat(rule.evaluate(inv, RuleParameters.defaults()))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN));
  }
}
