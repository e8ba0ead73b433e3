package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.operator.aws.rules.InventoryFixture.failed;
import static dev.parapet.operator.aws.rules.InventoryFixture.passed;
import static dev.parapet.operator.aws.rules.InventoryFixture.statuses;
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
import org.junit.jupiter.api.Test;

class SecurityGroupOpenRdpRuleTest {
  private final SecurityGroupOpenRdpRule rule = new SecurityGroupOpenRdpRule();

  @Test
  void failsOnlyFor3389FromTheInternet() {
    var inv =
        InventoryFixture.regions()
            .with(
                groups(
                    group("sg-rdp", tcp(3389, 3389, "::/0")),
                    group("sg-ssh", tcp(22, 22, "0.0.0.0/0")),
                    group("sg-vpn", tcp(3389, 3389, "10.0.0.0/8"))))
            .with(using("sg-rdp", "sg-ssh", "sg-vpn"))
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(failed(results)).containsExactly("sg-rdp");
    assertThat(passed(results)).containsExactlyInAnyOrder("sg-ssh", "sg-vpn");
  }

  @Test
  void unknownPerRegionLeavesOtherRegionsJudged() {
    var inv =
        InventoryFixture.regions("eu-west-1", "us-east-1")
            .unknown(SecurityGroups.class, "eu-west-1", UnknownReason.Timeout)
            .with("eu-west-1", using())
            .with("us-east-1", groups(group("sg-rdp", tcp(3389, 3389, "0.0.0.0/0"))))
            .with("us-east-1", using("sg-rdp"))
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(statuses(results)).containsExactly(ResultStatus.UNKNOWN, ResultStatus.FAIL);
    assertThat(results.get(0).region()).isEqualTo("eu-west-1");
    assertThat(results.get(1).region()).isEqualTo("us-east-1");
  }
}
