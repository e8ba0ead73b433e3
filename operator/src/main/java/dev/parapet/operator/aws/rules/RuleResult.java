package dev.parapet.operator.aws.rules;

import dev.parapet.operator.aws.inventory.CollectionError;
import java.util.Objects;

/**
 * What a rule concluded. FAIL and PASS name a resource; UNKNOWN names the region (or {@code
 * global}) it could not judge and why, and never a verdict.
 */
public record RuleResult(
    ResultStatus status, String region, Resource resource, String evidence, CollectionError cause) {

  public RuleResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(region, "region");
    if (status != ResultStatus.UNKNOWN) {
      Objects.requireNonNull(resource, "resource");
    } else {
      Objects.requireNonNull(cause, "cause");
    }
    evidence = evidence == null ? "" : evidence;
  }

  public static RuleResult fail(Resource resource, String evidence) {
    return new RuleResult(ResultStatus.FAIL, resource.region(), resource, evidence, null);
  }

  public static RuleResult pass(Resource resource) {
    return new RuleResult(ResultStatus.PASS, resource.region(), resource, "", null);
  }

  public static RuleResult unknown(String region, CollectionError cause) {
    return new RuleResult(ResultStatus.UNKNOWN, region, null, cause.describe(), cause);
  }
}
