package dev.parapet.operator.aws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.ec2.NetworkInterfaces;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups.Group;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups.Permission;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine's share of the policy (run the named rules, severity overrides, de-duplication), on
 * in-memory inventories. Choosing rules and applying exceptions are the operator's ({@code
 * PolicyMergerTest}, {@code CloudFindingsExceptionsTest}).
 */
class PolicyApplicationTest {
  private final RuleRegistry registry = RuleRegistry.defaults();

  private static Permission tcp(int port, String cidr) {
    return new Permission("tcp", port, port, List.of(cidr), List.of(), List.of(), List.of());
  }

  private static Permission allTraffic() {
    return new Permission("-1", null, null, List.of("0.0.0.0/0"), List.of(), List.of(), List.of());
  }

  private static dev.parapet.operator.aws.inventory.Inventory inventory(Group... groups) {
    var ids = java.util.Arrays.stream(groups).map(Group::groupId).toList();
    return InventoryFixture.regions()
        .with(new SecurityGroups(List.of(groups)))
        .with(
            new NetworkInterfaces(List.of(new NetworkInterfaces.Interface("eni-1", "in-use", ids))))
        .build();
  }

  private static Group group(String id, Map<String, String> tags, Permission... ingress) {
    return new Group(id, id, "vpc-1", List.of(ingress), List.of(), tags);
  }

  private PolicyApplication.Outcome apply(
      CloudPolicy policy, dev.parapet.operator.aws.inventory.Inventory inv) {
    return PolicyApplication.apply(RuleSelection.enabled(policy, registry), inv, policy);
  }

  @Test
  void portCoveredByAnAllPortsFailIsNotReportedAgain() {
    var inv =
        inventory(
            group("sg-wide", Map.of(), allTraffic()),
            group("sg-ssh", Map.of(), tcp(22, "0.0.0.0/0")));
    var policy =
        CloudPolicy.only("aws-ec2-sg-all-ports-open", "aws-ec2-sg-ssh-open", "aws-ec2-sg-rdp-open");
    var fails =
        apply(policy, inv).results().stream()
            .filter(r -> r.status() == ResultStatus.FAIL)
            .map(r -> r.ruleId() + "@" + r.resource().id())
            .toList();
    assertThat(fails)
        .containsExactlyInAnyOrder(
            "aws-ec2-sg-all-ports-open@sg-wide", "aws-ec2-sg-ssh-open@sg-ssh");
  }

  @Test
  void severityOverrideChangesTheEffectiveSeverityOnly() {
    var inv = inventory(group("sg-ssh", Map.of(), tcp(22, "0.0.0.0/0")));
    var policy =
        CloudPolicy.only("aws-ec2-sg-ssh-open")
            .withSeverityOverrides(Map.of("aws-ec2-sg-ssh-open", Severity.CRITICAL));
    var result = apply(policy, inv).results().get(0);
    assertThat(result.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(result.rule().severity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void unknownRegionsAreListedForTheFindingWriter() {
    var inv =
        InventoryFixture.regions("eu-west-1", "us-east-1")
            .unknown(
                SecurityGroups.class,
                "eu-west-1",
                dev.parapet.operator.aws.inventory.UnknownReason.AccessDenied)
            .with("eu-west-1", new NetworkInterfaces(List.of()))
            .with("us-east-1", new SecurityGroups(List.of()))
            .with("us-east-1", new NetworkInterfaces(List.of()))
            .build();
    var outcome = apply(CloudPolicy.only("aws-ec2-sg-ssh-open", "aws-ec2-sg-rdp-open"), inv);
    assertThat(outcome.unknownScopes())
        .extracting(s -> s.ruleId() + "@" + s.region())
        .containsExactly("aws-ec2-sg-ssh-open@eu-west-1", "aws-ec2-sg-rdp-open@eu-west-1");
  }

  @Test
  void theEngineRunsExactlyTheNamedRulesOrAll() {
    assertThat(RuleSelection.enabled(CloudPolicy.defaults(), registry))
        .hasSize(registry.rules().size());
    assertThat(
            RuleSelection.enabled(
                CloudPolicy.only("aws-ec2-ami-public", "aws-ec2-sg-ssh-open"), registry))
        .extracting(r -> r.id())
        .containsExactly("aws-ec2-sg-ssh-open", "aws-ec2-ami-public");
    assertThat(
            RuleSelection.enabled(
                new CloudPolicy(java.util.Set.of(), null, null, null, null), registry))
        .isEmpty();
    assertThat(RuleSelection.validate(CloudPolicy.only("aws-no-such-rule"), registry))
        .containsExactly("rules: unknown rule id 'aws-no-such-rule'");
  }
}
