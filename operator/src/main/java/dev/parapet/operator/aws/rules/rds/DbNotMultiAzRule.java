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
 * CIS 2.2.4 (a manual recommendation in v5.0.0, judged here on the returned flag): an RDS DB
 * instance is not a Multi-AZ deployment. Judged on {@code MultiAZ} of the DescribeDBInstances
 * answer the other RDS rules read (no extra call); an instance whose answer lacks the field is
 * UNKNOWN, never passed.
 */
public final class DbNotMultiAzRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-rds-not-multi-az")
          .title("RDS DB instance is not a Multi-AZ deployment", "RDS DB インスタンスがマルチ AZ 配置になっていません")
          .remediation(
              "Convert the instance to a Multi-AZ deployment (aws rds modify-db-instance --db-instance-identifier ID --multi-az), during a maintenance window where the switch-over matters.",
              "インスタンスをマルチ AZ 配置に変更してください (aws rds modify-db-instance --db-instance-identifier ID --multi-az)。切り替えの影響がある場合はメンテナンスウィンドウで実施してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-5")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::RDS::DBInstance")
          .cis("2.2.4")
          .fsbp("RDS.5")
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
      var value = db.multiAz();
      if (value == null) {
        results.add(
            RuleResult.unknown(
                view.region(),
                new CollectionError(
                    "rds",
                    view.region(),
                    "DescribeDBInstances",
                    UnknownReason.Error,
                    "no MultiAZ returned for DB instance " + db.id())));
      } else if (value) {
        results.add(RuleResult.pass(RdsResources.instance(view, db)));
      } else {
        results.add(
            RuleResult.fail(
                RdsResources.instance(view, db),
                "DB instance " + db.id() + " is a Single-AZ deployment (MultiAZ=false)"));
      }
    }
  }
}
