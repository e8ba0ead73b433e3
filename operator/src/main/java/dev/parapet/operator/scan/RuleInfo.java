package dev.parapet.operator.scan;

import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.Severity;
import java.util.List;

/**
 * What the operator needs to know about one rule: identity, default severity, compliance mapping,
 * remediation and the IAM actions it needs.
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
    List<String> requiredActions) {

  public RuleInfo {
    compliance = compliance == null ? List.of() : List.copyOf(compliance);
    requiredActions = requiredActions == null ? List.of() : List.copyOf(requiredActions);
  }

  /** True when the rule maps to a control of the framework (wire value, e.g. cis-aws). */
  public boolean inFramework(String framework) {
    return compliance.stream().anyMatch(c -> framework.equals(c.framework()));
  }
}
