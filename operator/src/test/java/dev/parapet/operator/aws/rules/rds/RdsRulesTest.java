package dev.parapet.operator.aws.rules.rds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.rds.DbInstances;
import dev.parapet.operator.aws.inventory.rds.DbSnapshots;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RDS rules on in-memory inventories. */
class RdsRulesTest {

  private static Inventory.Builder base() {
    return Inventory.builder("123456789012").regions(List.of("eu-west-1"));
  }

  private static List<String> ids(List<RuleResult> results, ResultStatus status) {
    return results.stream().filter(r -> r.status() == status).map(r -> r.resource().id()).toList();
  }

  private static List<RuleResult> run(AwsRule rule, Inventory inventory) {
    return rule.evaluate(inventory, RuleParameters.defaults());
  }

  @Test
  void publicAndUnencryptedInstances() {
    var inventory =
        base()
            .known(
                DbInstances.class,
                "eu-west-1",
                new DbInstances(
                    List.of(
                        new DbInstances.Instance("open", null, "postgres", true, false, Map.of()),
                        new DbInstances.Instance(
                            "closed", null, "postgres", false, true, Map.of()))))
            .build();
    var pub = run(new DbInstancePublicRule(), inventory);
    assertThat(ids(pub, ResultStatus.FAIL)).containsExactly("open");
    assertThat(ids(pub, ResultStatus.PASS)).containsExactly("closed");
    assertThat(pub.get(0).resource().arn()).isEqualTo("arn:aws:rds:eu-west-1:123456789012:db:open");
    var enc = run(new DbStorageUnencryptedRule(), inventory);
    assertThat(ids(enc, ResultStatus.FAIL)).containsExactly("open");
    assertThat(ids(enc, ResultStatus.PASS)).containsExactly("closed");
    assertThat(run(new DbInstancePublicRule(), base().build()))
        .extracting(RuleResult::status)
        .containsExactly(ResultStatus.UNKNOWN);
  }

  @Test
  void publicSnapshotsAndUnreadableSnapshotAttributes() {
    var inventory =
        base()
            .known(
                DbSnapshots.class,
                "eu-west-1",
                new DbSnapshots(
                    List.of(
                        new DbSnapshots.Snapshot(
                            "pub", null, "manual", "db", Fact.known(true), Map.of()),
                        new DbSnapshots.Snapshot(
                            "priv", null, "manual", "db", Fact.known(false), Map.of()),
                        new DbSnapshots.Snapshot(
                            "hidden",
                            null,
                            "manual",
                            "db",
                            Fact.unknown(
                                new CollectionError(
                                    "rds",
                                    "eu-west-1",
                                    "DescribeDBSnapshotAttributes",
                                    UnknownReason.AccessDenied,
                                    "snapshot hidden: denied")),
                            Map.of()))))
            .build();
    var results = run(new DbSnapshotPublicRule(), inventory);
    assertThat(ids(results, ResultStatus.FAIL)).containsExactly("pub");
    assertThat(ids(results, ResultStatus.PASS)).containsExactly("priv");
    assertThat(results.stream().filter(r -> r.status() == ResultStatus.UNKNOWN)).hasSize(1);
  }
}
