package dev.parapet.operator.aws.engine;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.ResultStatus;

/**
 * One result after policy: the rule, its status, the region, the resource (null for UNKNOWN), the
 * evidence, the effective severity (after overrides), and for UNKNOWN the cause. Policy exceptions
 * are not the engine's: the operator applies them to the Findings it plans.
 */
public record ScanResult(
    RuleMetadata rule,
    ResultStatus status,
    String region,
    Resource resource,
    String evidence,
    Severity severity,
    CollectionError cause) {

  public String ruleId() {
    return rule.id();
  }
}
