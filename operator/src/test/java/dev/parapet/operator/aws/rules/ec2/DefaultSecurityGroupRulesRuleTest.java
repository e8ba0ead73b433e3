package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.operator.aws.rules.InventoryFixture.failed;
import static dev.parapet.operator.aws.rules.InventoryFixture.passed;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.all;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.defaultGroup;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.group;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.groups;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.using;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultSecurityGroupRulesRuleTest {
  private final DefaultSecurityGroupRulesRule rule = new DefaultSecurityGroupRulesRule();

  @Test
  void inUseDefaultGroupWithAnyRuleFailsEmptyOnePassesOthersIgnored() {
    var inv =
        InventoryFixture.regions()
            .with(
                groups(
                    defaultGroup("sg-egress-only", List.of(), List.of(all("0.0.0.0/0"))),
                    defaultGroup("sg-empty", List.of(), List.of()),
                    defaultGroup("sg-untouched", List.of(all("10.0.0.0/8")), List.of()),
                    group("sg-custom", all("0.0.0.0/0"))))
            .with(using("sg-egress-only", "sg-empty", "sg-custom"))
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(failed(results)).containsExactly("sg-egress-only");
    assertThat(passed(results)).containsExactly("sg-empty");
    var everything =
        rule.evaluate(inv, RuleParameters.defaults().withIncludeUnusedSecurityGroups(true));
    assertThat(failed(everything)).containsExactlyInAnyOrder("sg-egress-only", "sg-untouched");
  }

  @Test
  void unknownGroupsMeanUnknown() {
    var inv =
        InventoryFixture.regions()
            .unknown(SecurityGroups.class, UnknownReason.AccessDenied)
            .with(using())
            .build();
    assertThat(rule.evaluate(inv, RuleParameters.defaults()))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN));
  }
}
