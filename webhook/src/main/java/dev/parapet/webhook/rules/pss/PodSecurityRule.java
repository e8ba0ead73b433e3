package dev.parapet.webhook.rules.pss;

import dev.parapet.api.v1alpha1.PodSecurityLevel;
import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.rules.WorkloadRule;
import dev.parapet.webhook.secrets.Shown;

/**
 * One control of the Kubernetes Pod Security Standards as a workload rule {@code
 * pss-<level>-<control>}: on when the policy's {@code podSecurityLevel} includes the control's
 * level. The checks are in {@link PodSecurityControls}; the work is one pass over the pod spec's
 * containers, volumes, sysctls and annotations (linear in the object's size), with the review's
 * deadline checked per pod spec.
 */
public final class PodSecurityRule implements WorkloadRule {
  /** The framework name of the Pod Security Standards in {@link RuleMetadata#compliance()}. */
  public static final String FRAMEWORK = "k8s-pss";

  /** The Kubernetes version whose published standard the controls follow. */
  public static final String STANDARD_VERSION = "v1.34";

  /** Where a control reports: the container (null for the pod), the field, subject and detail. */
  interface Out {
    void add(String container, String fieldPath, String subject, String detail);
  }

  /** A control's check of one pod spec. */
  interface Check {
    void check(PodView pod, Out out);
  }

  private final RuleMetadata metadata;
  private final PodSecurityLevel level;
  private final String control;
  private final Check check;
  private final String supersededBy;

  PodSecurityRule(
      PodSecurityLevel level,
      String slug,
      String control,
      String titleEn,
      String titleJa,
      String remediationEn,
      String remediationJa,
      Check check) {
    this(level, slug, control, titleEn, titleJa, remediationEn, remediationJa, check, null);
  }

  /**
   * @param supersededBy the id of a restricted rule that checks the same fields more strictly: at
   *     the restricted level (and while that rule is not excluded) this baseline rule is off, so a
   *     pod is told once (as Pod Security admission does: its restricted check replaces the
   *     baseline one)
   */
  PodSecurityRule(
      PodSecurityLevel level,
      String slug,
      String control,
      String titleEn,
      String titleJa,
      String remediationEn,
      String remediationJa,
      Check check,
      String supersededBy) {
    this.level = level;
    this.supersededBy = supersededBy;
    this.control = control;
    this.check = check;
    this.metadata =
        RuleMetadata.builder(
                "pss-" + level.wireValue() + "-" + slug, RuleMetadata.Source.KUBERNETES)
            .title(titleEn, titleJa)
            .remediation(
                remediationEn,
                remediationJa,
                "https://kubernetes.io/docs/concepts/security/pod-security-standards/")
            .severity(level == PodSecurityLevel.BASELINE ? Severity.HIGH : Severity.MEDIUM)
            .appliesTo(RuleMetadata.POD_KINDS)
            .controls(FRAMEWORK, level.wireValue() + "/" + control)
            .build();
  }

  @Override
  public RuleMetadata metadata() {
    return metadata;
  }

  /** The standard's level this control belongs to (baseline or restricted). */
  public PodSecurityLevel level() {
    return level;
  }

  /** The control's name in the published standard, e.g. "Host Namespaces". */
  public String control() {
    return control;
  }

  @Override
  public boolean enabled(AdmissionPolicy policy) {
    return policy.podSecurityLevel().includes(level)
        && !(supersededBy != null
            && policy.podSecurityLevel().includes(PodSecurityLevel.RESTRICTED)
            && policy.ruleEnabled(supersededBy));
  }

  /** The restricted rule that replaces this baseline rule at the restricted level, or null. */
  public String supersededBy() {
    return supersededBy;
  }

  @Override
  public void evaluate(WorkloadReview review, AdmissionPolicy policy, Findings out) {
    var id = metadata.id();
    for (var pod : PodView.of(review)) {
      review.deadline().check();
      check.check(
          pod,
          (container, fieldPath, subject, detail) -> {
            var where =
                container == null
                    ? "pod (" + fieldPath + ")"
                    : "container \"" + Shown.name(container) + "\" (" + fieldPath + ")";
            out.add(
                container,
                fieldPath,
                id + "/" + (container == null ? "" : container) + "/" + subject,
                where
                    + " "
                    + detail
                    + " (Pod Security Standards "
                    + level.wireValue()
                    + ": "
                    + control
                    + ")");
          });
    }
  }
}
