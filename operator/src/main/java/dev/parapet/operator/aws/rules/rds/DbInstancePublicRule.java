package dev.parapet.operator.aws.rules.rds;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.rds.DbInstances;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 28: an RDS DB instance is publicly accessible. */
public final class DbInstancePublicRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-rds-instance-public")
          .title("RDS DB instance is publicly accessible", "RDS DB インスタンスがパブリックアクセス可能です")
          .remediation(
              "Turn off public accessibility (aws rds modify-db-instance --db-instance-identifier"
                  + " <id> --no-publicly-accessible --apply-immediately) and reach the database"
                  + " through private networking.",
              "パブリックアクセスを無効にし (aws rds modify-db-instance --db-instance-identifier <id>"
                  + " --no-publicly-accessible --apply-immediately)、プライベートネットワーク経由で接続してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-2")
          .severity(Severity.CRITICAL)
          .resourceType("AWS::RDS::DBInstance")
          .cis("2.2.3")
          .fsbp("RDS.2")
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
      var resource = RdsResources.instance(view, db);
      if (db.publiclyAccessible()) {
        results.add(
            RuleResult.fail(resource, "DB instance " + db.id() + " is publicly accessible"));
      } else {
        results.add(RuleResult.pass(resource));
      }
    }
  }
}
