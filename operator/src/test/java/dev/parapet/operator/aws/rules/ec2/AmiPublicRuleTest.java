package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.operator.aws.rules.InventoryFixture.ACCOUNT;
import static dev.parapet.operator.aws.rules.InventoryFixture.failed;
import static dev.parapet.operator.aws.rules.InventoryFixture.passed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ec2.Images;
import dev.parapet.operator.aws.inventory.ec2.Images.Image;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AmiPublicRuleTest {
  private final AmiPublicRule rule = new AmiPublicRule();

  @Test
  void publicImageFailsPrivatePasses() {
    var inv =
        InventoryFixture.regions()
            .with(
                new Images(
                    List.of(
                        new Image("ami-pub", ACCOUNT, "shared", true, Map.of()),
                        new Image("ami-priv", ACCOUNT, "mine", false, Map.of()),
                        // returned although Owners=self asked otherwise: not the account's
                        new Image("ami-foreign", "111122223333", "distro", true, Map.of()))))
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(failed(results)).containsExactly("ami-pub");
    assertThat(passed(results)).containsExactly("ami-priv");
  }

  @Test
  void unknownImagesMeanUnknown() {
    var inv = InventoryFixture.regions().unknown(Images.class, UnknownReason.AccessDenied).build();
    assertThat(rule.evaluate(inv, RuleParameters.defaults()))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN));
  }
}
