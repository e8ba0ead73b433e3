package dev.parapet.operator.aws.rules.rds;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.rds.DbInstances;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/**
 * CIS 2.2.2: an RDS DB instance does not upgrade minor engine versions automatically. Judged on
 * {@code AutoMinorVersionUpgrade} of the DescribeDBInstances answer the other RDS rules read (no
 * extra call); an instance whose answer lacks the field is UNKNOWN, never passed.
 */
public final class DbAutoMinorUpgradeOffRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-rds-auto-minor-upgrade-off")
          .title(
              "RDS DB instance does not apply minor engine upgrades automatically",
              "RDS DB インスタンスでマイナーエンジンバージョンの自動アップグレードが無効です")
          .remediation(
              "Turn on automatic minor version upgrades (aws rds modify-db-instance --db-instance-identifier ID --auto-minor-version-upgrade); they are applied in the maintenance window.",
              "マイナーバージョンの自動アップグレードを有効にしてください (aws rds modify-db-instance --db-instance-identifier ID --auto-minor-version-upgrade)。適用はメンテナンスウィンドウで行われます。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-13")
          .severity(Severity.HIGH)
          .resourceType("AWS::RDS::DBInstance")
          .cis("2.2.2")
          .fsbp("RDS.13")
          .reads(DbInstances.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var db : view.get(DbInstances.class).instances()) {
      var value = db.autoMinorVersionUpgrade();
      if (value == null) {
        results.add(
            RuleResult.unknown(
                view.region(),
                new CollectionError(
                    "rds",
                    view.region(),
                    "DescribeDBInstances",
                    UnknownReason.Error,
                    "no AutoMinorVersionUpgrade returned for DB instance " + db.id())));
      } else if (value) {
        results.add(RuleResult.pass(RdsResources.instance(view, db)));
      } else {
        results.add(
            RuleResult.fail(
                RdsResources.instance(view, db),
                "DB instance " + db.id() + " has AutoMinorVersionUpgrade=false"));
      }
    }
  }
}
