package dev.parapet.operator.aws.rules.ecr;

import static dev.parapet.operator.aws.rules.InventoryFixture.failed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ecr.Repositories;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ECR.1 with registry scanning rules (which moto cannot set up), and per-repository UNKNOWN. */
class EcrRulesTest {

  static Repositories.Repository repo(String name, boolean scanOnPush) {
    return new Repositories.Repository(
        name,
        "arn:aws:ecr:eu-west-1:123456789012:repository/" + name,
        scanOnPush,
        "MUTABLE",
        Fact.known(Optional.empty()),
        Fact.unknown(
            new CollectionError(
                "ecr", "eu-west-1", "GetLifecyclePolicy", UnknownReason.AccessDenied, "denied")));
  }

  @Test
  void aRegistryRuleWhoseWildcardMatchesCoversTheRepository() {
    var registry =
        new Repositories.RegistryScanning(
            "ENHANCED",
            List.of(
                new Repositories.ScanRule("CONTINUOUS_SCAN", List.of("prod-*")),
                new Repositories.ScanRule("MANUAL", List.of("*"))));
    var inventory =
        InventoryFixture.regions()
            .with(
                new Repositories(
                    List.of(repo("prod-api", false), repo("dev-api", false), repo("x", true)),
                    Fact.known(registry)))
            .build();
    var results = EcrRules.SCAN_ON_PUSH_OFF.evaluate(inventory, RuleParameters.defaults());
    assertThat(failed(results)).containsExactly("dev-api");
    assertThat(results).hasSize(3);
  }

  @Test
  void unknownRegistryScanningOnlyMattersWhereScanOnPushIsOff() {
    var denied =
        Fact.<Repositories.RegistryScanning>unknown(
            new CollectionError(
                "ecr",
                "eu-west-1",
                "GetRegistryScanningConfiguration",
                UnknownReason.AccessDenied,
                "denied"));
    var inventory =
        InventoryFixture.regions()
            .with(new Repositories(List.of(repo("on", true), repo("off", false)), denied))
            .build();
    var results = EcrRules.SCAN_ON_PUSH_OFF.evaluate(inventory, RuleParameters.defaults());
    assertThat(results)
        .extracting(r -> r.status())
        .containsExactlyInAnyOrder(ResultStatus.PASS, ResultStatus.UNKNOWN);
    // A repository whose lifecycle policy could not be read is UNKNOWN, never PASS or FAIL.
    assertThat(EcrRules.NO_LIFECYCLE.evaluate(inventory, RuleParameters.defaults()))
        .extracting(r -> r.status())
        .containsOnly(ResultStatus.UNKNOWN);
  }

  @Test
  void wildcardFilters() {
    assertThat(EcrRules.matches("*", "anything")).isTrue();
    assertThat(EcrRules.matches("prod-*", "prod-api")).isTrue();
    assertThat(EcrRules.matches("prod-*", "dev-prod-api")).isFalse();
    assertThat(EcrRules.matches("a.b", "axb")).isFalse();
  }
}
