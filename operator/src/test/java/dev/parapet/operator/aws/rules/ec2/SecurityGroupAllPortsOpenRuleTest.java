package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.operator.aws.rules.InventoryFixture.failed;
import static dev.parapet.operator.aws.rules.InventoryFixture.passed;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.all;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.group;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.groups;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.tcp;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.udp;
import static dev.parapet.operator.aws.rules.ec2.Ec2Fixtures.using;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ec2.NetworkInterfaces;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import org.junit.jupiter.api.Test;

class SecurityGroupAllPortsOpenRuleTest {
  private final SecurityGroupAllPortsOpenRule rule = new SecurityGroupAllPortsOpenRule();

  @Test
  void failsForAllTrafficOrTheFullPortRangeFromTheInternet() {
    var inv =
        InventoryFixture.regions()
            .with(
                groups(
                    group("sg-all", all("0.0.0.0/0")),
                    group("sg-tcp-full", tcp(0, 65535, "::/0")),
                    group("sg-udp-full", udp(0, 65535, "0.0.0.0/0")),
                    group("sg-most", tcp(1, 65535, "0.0.0.0/0")),
                    group("sg-internal", all("10.0.0.0/8"))))
            .with(using("sg-all", "sg-tcp-full", "sg-udp-full", "sg-most", "sg-internal"))
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(failed(results)).containsExactlyInAnyOrder("sg-all", "sg-tcp-full", "sg-udp-full");
    assertThat(passed(results)).containsExactlyInAnyOrder("sg-most", "sg-internal");
  }

  @Test
  void unknownInterfacesMeanUnknown() {
    var inv =
        InventoryFixture.regions()
            .with(groups(group("sg-all", all("0.0.0.0/0"))))
            .unknown(NetworkInterfaces.class, UnknownReason.AccessDenied)
            .build();
    assertThat(rule.evaluate(inv, RuleParameters.defaults()))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN));
  }
}
