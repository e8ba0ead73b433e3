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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rule selection, overrides, exemptions and de-duplication, on in-memory inventories. */
class PolicyApplicationTest {
  private static final Instant NOW = InventoryFixture.NOW;
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
    return PolicyApplication.apply(RuleSelection.enabled(policy, registry), inv, policy, NOW);
  }

  @Test
  void selectionByFrameworkIncludeAndExclude() {
    var fsbpOnly =
        new CloudPolicy(
            Set.of(CloudPolicy.FSBP), null, Set.of("aws-ec2-sg-ssh-open"), null, null, null);
    var ids = RuleSelection.enabled(fsbpOnly, registry).stream().map(r -> r.id()).toList();
    assertThat(ids)
        .contains("aws-ec2-snapshot-public")
        .doesNotContain("aws-ec2-sg-ssh-open", "aws-ec2-ami-public");

    var cisPlusAmi =
        new CloudPolicy(
            Set.of(CloudPolicy.CIS), Set.of("aws-ec2-ami-public"), null, null, null, null);
    var cis = RuleSelection.enabled(cisPlusAmi, registry).stream().map(r -> r.id()).toList();
    assertThat(cis)
        .contains("aws-ec2-sg-ssh-open", "aws-ec2-ami-public")
        .doesNotContain("aws-ec2-snapshot-public");

    assertThat(RuleSelection.enabled(CloudPolicy.defaults(), registry))
        .hasSize(registry.rules().size());
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
  void exemptionsMatchByAccountRegionArnGlobAndTagsAndStopAtExpiry() {
    var inv =
        inventory(
            group("sg-a", Map.of("team", "blue"), tcp(22, "0.0.0.0/0")),
            group("sg-b", Map.of("team", "red"), tcp(22, "0.0.0.0/0")));
    var base = CloudPolicy.only("aws-ec2-sg-ssh-open");
    var byTag = exemption("blue", List.of(), List.of(), List.of(), Map.of("team", "blue"), null);
    assertThat(suppressed(apply(base.withExemptions(List.of(byTag)), inv))).containsExactly("sg-a");

    var byArn =
        exemption(
            "arn",
            List.of(),
            List.of(),
            List.of("arn:aws:ec2:eu-west-1:*:security-group/sg-?"),
            Map.of(),
            null);
    assertThat(suppressed(apply(base.withExemptions(List.of(byArn)), inv)))
        .containsExactly("sg-a", "sg-b");

    var otherRegion = exemption("region", List.of(), List.of("us-*"), List.of(), Map.of(), null);
    var otherAccount =
        exemption("account", List.of("999999999999"), List.of(), List.of(), Map.of(), null);
    assertThat(suppressed(apply(base.withExemptions(List.of(otherRegion, otherAccount)), inv)))
        .isEmpty();

    var expired = exemption("old", List.of(), List.of(), List.of(), Map.of(), NOW.minusSeconds(1));
    var outcome = apply(base.withExemptions(List.of(expired)), inv);
    assertThat(suppressed(outcome)).isEmpty();
    assertThat(outcome.expiredExemptions()).containsExactly("old");

    var future =
        exemption("later", List.of(), List.of(), List.of(), Map.of(), NOW.plusSeconds(3600));
    var active = apply(base.withExemptions(List.of(future)), inv);
    assertThat(active.results().get(0).suppressedBy().expiresAt()).isEqualTo(NOW.plusSeconds(3600));
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
  void theEngineRejectsATagExemptionOnAccountLevelRulesOnly() {
    var tags = Map.of("risk", "accepted");
    var rootOnly =
        new Exemption("root", List.of("aws-iam-root-*"), null, null, null, tags, "r", null);
    var withBuckets =
        new Exemption(
            "mixed",
            List.of("aws-iam-root-*", "aws-s3-bucket-versioning-off"),
            null,
            null,
            null,
            tags,
            "r",
            null);
    var policy = CloudPolicy.defaults().withExemptions(List.of(rootOnly, withBuckets));
    assertThat(RuleSelection.validate(policy, RuleRegistry.defaults()))
        .singleElement()
        .asString()
        .startsWith("exceptions[0].tags: can never match");
  }

  private static Exemption exemption(
      String name,
      List<String> accounts,
      List<String> regions,
      List<String> arns,
      Map<String, String> tags,
      Instant expiry) {
    return new Exemption(
        name,
        List.of("aws-ec2-sg-ssh-open"),
        accounts,
        regions,
        arns,
        tags,
        "accepted risk",
        expiry);
  }

  private static List<String> suppressed(PolicyApplication.Outcome outcome) {
    return outcome.results().stream()
        .filter(ScanResult::suppressed)
        .map(r -> r.resource().id())
        .sorted()
        .toList();
  }
}
