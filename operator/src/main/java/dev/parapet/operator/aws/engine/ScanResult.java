package dev.parapet.operator.aws.engine;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.ResultStatus;

/**
 * One result after policy: the rule, its status, the region, the resource (null for UNKNOWN), the
 * evidence, the effective severity (after overrides), what suppressed it (null if nothing), and for
 * UNKNOWN the cause.
 */
public record ScanResult(
    RuleMetadata rule,
    ResultStatus status,
    String region,
    Resource resource,
    String evidence,
    Severity severity,
    Suppression suppressedBy,
    CollectionError cause) {

  public boolean suppressed() {
    return suppressedBy != null;
  }

  public String ruleId() {
    return rule.id();
  }
}
