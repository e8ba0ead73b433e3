package dev.parapet.operator.aws.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.aws.inventory.Inventory;
import java.util.List;

/**
 * One AWS posture check: metadata plus a pure function of the inventory and the policy parameters.
 * Implementations do no I/O; an unknown input yields UNKNOWN, never PASS or FAIL.
 */
public interface AwsRule {

  /** The rule's metadata and the datasets it reads. */
  RuleDefinition definition();

  List<RuleResult> evaluate(Inventory inventory, RuleParameters parameters);

  /** The rule's metadata: what the operator's catalog, the CLI and the docs read. */
  default RuleMetadata metadata() {
    return definition().metadata();
  }

  default String id() {
    return metadata().id();
  }
}
