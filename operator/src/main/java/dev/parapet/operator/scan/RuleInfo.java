package dev.parapet.operator.scan;

import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.core.Severity;
import java.util.List;

/**
 * What the operator needs to know about one rule: identity, default severity, compliance mapping,
 * remediation, the IAM actions it needs and the AWS services whose APIs it reads.
 *
 * @param services AWS services (ec2, s3, ...) the rule's data is collected from; empty for workload
 *     rules. An account's {@code spec.scan.services} runs a cloud rule only when it allows all of
 *     them.
 * @param resourcesTagged true for cloud rules whose results name resources that carry tags (not
 *     account-level settings), so an exception's {@code match.tags} can match them
 */
public record RuleInfo(
    String id,
    FindingSpec.Source source,
    String title,
    String titleJa,
    Severity severity,
    List<FindingSpec.Compliance> compliance,
    String remediation,
    String remediationJa,
    String url,
    List<String> requiredActions,
    List<String> services,
    boolean resourcesTagged) {

  public RuleInfo {
    compliance = compliance == null ? List.of() : List.copyOf(compliance);
    requiredActions = requiredActions == null ? List.of() : List.copyOf(requiredActions);
    services = services == null ? List.of() : List.copyOf(services);
  }

  /** True when the rule maps to a control of the framework (wire value, e.g. cis-aws). */
  public boolean inFramework(String framework) {
    return compliance.stream().anyMatch(c -> framework.equals(c.framework()));
  }
}
