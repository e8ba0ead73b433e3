package dev.parapet.operator.aws.rules.rds;

import dev.parapet.operator.aws.inventory.rds.DbInstances;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;

/** The resource of a DB instance, shared by the instance rules. */
final class RdsResources {
  private RdsResources() {}

  static Resource instance(RegionView view, DbInstances.Instance db) {
    return view.resource("AWS::RDS::DBInstance", db.id(), "rds", "db:" + db.id(), db.tags());
  }
}
