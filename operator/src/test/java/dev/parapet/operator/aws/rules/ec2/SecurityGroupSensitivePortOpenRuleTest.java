package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.operator.aws.rules.InventoryFixture.failed;
import static dev.parapet.operator.aws.rules.InventoryFixture.passed;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.group;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.groups;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.tcp;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.using;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecurityGroupSensitivePortOpenRuleTest {
  private final SecurityGroupSensitivePortOpenRule rule = new SecurityGroupSensitivePortOpenRule();

  @Test
  void reportsEveryExposedSensitivePortOnceInOneFailPerGroup() {
    var inv =
        InventoryFixture.regions()
            .with(
                groups(
                    group("sg-db", tcp(3306, 3306, "0.0.0.0/0"), tcp(5432, 5432, "::/0")),
                    group("sg-web", tcp(443, 443, "0.0.0.0/0"))))
            .with(using("sg-db", "sg-web"))
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(failed(results)).containsExactly("sg-db");
    assertThat(passed(results)).containsExactly("sg-web");
    assertThat(
            results.stream()
                .filter(r -> r.status() == ResultStatus.FAIL)
                .findFirst()
                .get()
                .evidence())
        .contains("port 3306")
        .contains("port 5432");
  }

  @Test
  void thePolicyDecidesWhichPortsAreSensitive() {
    var inv =
        InventoryFixture.regions()
            .with(groups(group("sg-web", tcp(443, 443, "0.0.0.0/0"))))
            .with(using("sg-web"))
            .build();
    var params = RuleParameters.defaults().withSensitivePorts(Set.of(443));
    assertThat(failed(rule.evaluate(inv, params))).containsExactly("sg-web");
  }

  @Test
  void unknownGroupsMeanUnknown() {
    var inv =
        InventoryFixture.regions()
            .unknown(SecurityGroups.class, UnknownReason.Error)
            .with(using())
            .build();
    assertThat(rule.evaluate(inv, RuleParameters.defaults()))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN));
  }
}
