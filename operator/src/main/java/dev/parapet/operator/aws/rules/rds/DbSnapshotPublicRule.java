package dev.parapet.operator.aws.rules.rds;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.Unknown;
import dev.parapet.operator.aws.inventory.rds.DbSnapshots;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 30: a manual RDS DB snapshot can be restored by any AWS account. */
public final class DbSnapshotPublicRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-rds-snapshot-public")
          .title("RDS DB snapshot is public", "RDS DB スナップショットが一般公開されています")
          .remediation(
              "Remove 'all' from the snapshot's restore attribute (aws rds"
                  + " modify-db-snapshot-attribute --db-snapshot-identifier <id> --attribute-name"
                  + " restore --values-to-remove all).",
              "スナップショットの restore 属性から 'all' を削除してください (aws rds modify-db-snapshot-attribute"
                  + " --db-snapshot-identifier <id> --attribute-name restore --values-to-remove all)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-1")
          .severity(Severity.CRITICAL)
          .resourceType("AWS::RDS::DBSnapshot")
          .fsbp("RDS.1")
          .reads(DbSnapshots.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var snapshot : view.get(DbSnapshots.class).snapshots()) {
      if (!DbSnapshots.judged(snapshot, view.accountId())) {
        continue; // another account's (shared or public) or an automated snapshot
      }
      if (snapshot.publicRestore() instanceof Unknown<Boolean> unknown) {
        results.add(RuleResult.unknown(view.region(), unknown.error()));
        continue;
      }
      var resource =
          view.resource(
              "AWS::RDS::DBSnapshot",
              snapshot.id(),
              "rds",
              "snapshot:" + snapshot.id(),
              snapshot.tags());
      if (((Known<Boolean>) snapshot.publicRestore()).value()) {
        results.add(
            RuleResult.fail(
                resource, "Snapshot " + snapshot.id() + " can be restored by any AWS account"));
      } else {
        results.add(RuleResult.pass(resource));
      }
    }
  }
}
