package dev.parapet.operator.scan;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import java.util.Map;

/**
 * One FAIL result of a cloud rule on one resource, after policy severity overrides.
 *
 * @param key distinguishes several results of one rule on one resource (e.g. a port); may be empty
 * @param tags AWS tags of the resource, for exception matching
 */
public record CheckResult(
    RuleMetadata rule,
    Severity severity,
    String region,
    String resourceType,
    String resourceId,
    String arn,
    String key,
    String message,
    Map<String, String> tags) {

  public CheckResult {
    key = key == null ? "" : key;
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
