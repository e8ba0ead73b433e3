package dev.parapet.operator.aws.rules;

import dev.parapet.operator.aws.inventory.Inventory;
import java.util.List;

/**
 * One AWS posture check: metadata plus a pure function of the inventory and the policy parameters.
 * Implementations do no I/O; an unknown input yields UNKNOWN, never PASS or FAIL.
 */
public interface AwsRule {

  RuleMetadata metadata();

  List<RuleResult> evaluate(Inventory inventory, RuleParameters parameters);

  default String id() {
    return metadata().id();
  }
}
