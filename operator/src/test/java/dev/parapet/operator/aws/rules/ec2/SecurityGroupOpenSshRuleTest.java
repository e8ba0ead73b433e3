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
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import org.junit.jupiter.api.Test;

class SecurityGroupOpenSshRuleTest {
  private final SecurityGroupOpenSshRule rule = new SecurityGroupOpenSshRule();
  private final RuleParameters defaults = RuleParameters.defaults();

  @Test
  void failsForPort22OrARangeCoveringItFromAnyInternetCidr() {
    var inv =
        InventoryFixture.regions()
            .with(
                groups(
                    group("sg-v4", tcp(22, 22, "0.0.0.0/0")),
                    group("sg-v6", tcp(22, 22, "::/0")),
                    group("sg-range", tcp(0, 1024, "0.0.0.0/0")),
                    group("sg-all", all("0.0.0.0/0")),
                    group("sg-office", tcp(22, 22, "203.0.113.0/24")),
                    group("sg-udp", udp(22, 22, "0.0.0.0/0")),
                    group("sg-https", tcp(443, 443, "0.0.0.0/0"))))
            .with(using("sg-v4", "sg-v6", "sg-range", "sg-all", "sg-office", "sg-udp", "sg-https"))
            .build();
    var results = rule.evaluate(inv, defaults);
    assertThat(failed(results)).containsExactlyInAnyOrder("sg-v4", "sg-v6", "sg-range", "sg-all");
    assertThat(passed(results)).containsExactlyInAnyOrder("sg-office", "sg-udp", "sg-https");
  }

  @Test
  void unusedGroupsAreSkippedByDefaultAndJudgedOnRequest() {
    var inv =
        InventoryFixture.regions()
            .with(groups(group("sg-unused", tcp(22, 22, "0.0.0.0/0"))))
            .with(using())
            .build();
    assertThat(rule.evaluate(inv, defaults)).isEmpty();
    assertThat(failed(rule.evaluate(inv, defaults.withIncludeUnusedSecurityGroups(true))))
        .containsExactly("sg-unused");
  }

  @Test
  void unknownGroupsOrInterfacesGiveUnknownWithTheReasonNeverPassOrFail() {
    var noGroups =
        InventoryFixture.regions()
            .unknown(SecurityGroups.class, UnknownReason.AccessDenied)
            .with(using())
            .build();
    var noInterfaces =
        InventoryFixture.regions()
            .with(groups(group("sg-1", tcp(22, 22, "0.0.0.0/0"))))
            .unknown(NetworkInterfaces.class, UnknownReason.Throttled)
            .build();
    assertThat(rule.evaluate(noGroups, defaults))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN);
              assertThat(r.cause().reason()).isEqualTo(UnknownReason.AccessDenied);
              assertThat(r.region()).isEqualTo(InventoryFixture.REGION);
            });
    assertThat(rule.evaluate(noInterfaces, defaults))
        .singleElement()
        .satisfies(r -> assertThat(r.cause().reason()).isEqualTo(UnknownReason.Throttled));
  }

  @Test
  void metadataCarriesControlsAndActions() {
    var m = rule.metadata();
    assertThat(m.cis()).containsExactly("5.3", "5.4");
    assertThat(m.fsbp()).contains("EC2.13");
    assertThat(rule.definition().iamActions())
        .containsExactly("ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups");
    assertThat(m.requiredActions())
        .containsExactly("ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups");
    assertThat(m.coveredBy()).isEqualTo("aws-ec2-sg-all-ports-open");
  }
}
