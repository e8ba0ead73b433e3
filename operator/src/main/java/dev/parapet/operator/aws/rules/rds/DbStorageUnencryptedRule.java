package dev.parapet.operator.aws.rules.rds;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.rds.DbInstances;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 29: an RDS DB instance's storage is not encrypted. */
public final class DbStorageUnencryptedRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-rds-storage-unencrypted")
          .title("RDS DB instance storage is not encrypted", "RDS DB インスタンスのストレージが暗号化されていません")
          .remediation(
              "Encryption cannot be turned on in place: snapshot the instance, copy the snapshot"
                  + " with encryption (aws rds copy-db-snapshot --kms-key-id <key>), restore from"
                  + " it and switch over.",
              "既存インスタンスの暗号化は後から有効にできません。スナップショットを作成し、暗号化してコピーし"
                  + " (aws rds copy-db-snapshot --kms-key-id <key>)、そこから復元して切り替えてください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-3")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::RDS::DBInstance")
          .cis("2.2.1")
          .fsbp("RDS.3")
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
      if (db.storageEncrypted()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(resource, "DB instance " + db.id() + " storage is not encrypted"));
      }
    }
  }
}
