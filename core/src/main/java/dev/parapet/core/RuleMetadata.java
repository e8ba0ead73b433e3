package dev.parapet.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything about a rule that is not its logic, for cloud (AWS engine) and workload (admission)
 * rules alike: stable id, texts in English and Japanese, severity, what it applies to, compliance
 * controls, and for cloud rules the IAM actions and AWS services its data is collected with. The
 * operator's catalog, the CLI, the Finding writer and the docs generators all read this one type.
 *
 * @param resourceType the CloudFormation type a cloud rule reports on ({@link #ACCOUNT} for
 *     account-level settings); null for workload rules
 * @param appliesTo the Kubernetes kinds a workload rule reviews; empty for cloud rules
 * @param compliance controls the rule maps to, CIS first, then FSBP
 * @param requiredActions IAM actions the rule's data is collected with; empty for workload rules
 * @param services AWS services (ec2, s3, ...) the rule's data is collected from; empty for workload
 *     rules. An account's {@code spec.scan.services} runs a cloud rule only when it allows all of
 *     them.
 * @param tagsNote which of the rule's results carry tags, when not all of them do (docs/rules.md)
 * @param coveredBy a broader rule whose FAIL on the same resource makes this rule's FAIL redundant
 * @param category what the rule judges: a state a scan reads ({@link Category#POSTURE}, every rule
 *     of the engine and the webhook) or an action seen in a CloudTrail event ({@link
 *     Category#ACTIVITY})
 */
public record RuleMetadata(
    String id,
    Source source,
    String titleEn,
    String titleJa,
    String remediationEn,
    String remediationJa,
    String remediationUrl,
    Severity severity,
    String resourceType,
    Set<String> appliesTo,
    List<Control> compliance,
    List<String> requiredActions,
    List<String> services,
    String tagsNote,
    String coveredBy,
    Category category) {

  /** The resource type of account-level settings, which carry no tags. */
  public static final String ACCOUNT = "AWS::::Account";

  /** The compliance framework of CIS AWS Foundations v5.0.0 (wire value). */
  public static final String CIS_AWS = "cis-aws";

  /** The compliance framework of AWS Foundational Security Best Practices (wire value). */
  public static final String AWS_FSBP = "aws-fsbp";

  /** Every kind that carries a pod spec. */
  public static final Set<String> POD_KINDS =
      Set.of(
          "Pod",
          "Deployment",
          "StatefulSet",
          "DaemonSet",
          "ReplicaSet",
          "ReplicationController",
          "Job",
          "CronJob");

  /** Where a rule looks: the AWS account (cloud rules) or Kubernetes objects (workload rules). */
  public enum Source {
    AWS,
    KUBERNETES
  }

  /**
   * Posture rules judge the state a scan reads and their Findings resolve when it is fixed;
   * activity rules report an action seen in one CloudTrail event: their Findings never resolve and
   * are deleted after the policy's retention.
   */
  public enum Category {
    POSTURE,
    ACTIVITY
  }

  /** One control of a compliance framework, e.g. {@code cis-aws 5.3}. */
  public record Control(String framework, String id) {
    public Control {
      Objects.requireNonNull(framework, "framework");
      Objects.requireNonNull(id, "id");
    }
  }

  public RuleMetadata {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(severity, "severity");
    appliesTo = appliesTo == null ? Set.of() : Set.copyOf(appliesTo);
    compliance = compliance == null ? List.of() : List.copyOf(compliance);
    requiredActions = requiredActions == null ? List.of() : List.copyOf(requiredActions);
    services = services == null ? List.of() : List.copyOf(services);
    category = category == null ? Category.POSTURE : category;
  }

  /**
   * True for cloud posture rules whose results name resources that can carry tags (everything but
   * account-level settings), so an exception's {@code match.tags} can match them. Activity rules
   * report what a CloudTrail event says, which holds no tags.
   */
  public boolean resourcesTagged() {
    return source == Source.AWS && category == Category.POSTURE && !ACCOUNT.equals(resourceType);
  }

  /** True for a rule that reports actions seen in CloudTrail events. */
  public boolean activity() {
    return category == Category.ACTIVITY;
  }

  /** True when the rule maps to a control of the framework (wire value, e.g. cis-aws). */
  public boolean inFramework(String framework) {
    return compliance.stream().anyMatch(c -> framework.equals(c.framework()));
  }

  /** The rule's control ids in one framework, in declaration order. */
  public List<String> controls(String framework) {
    return compliance.stream()
        .filter(c -> framework.equals(c.framework()))
        .map(Control::id)
        .toList();
  }

  /** The CIS AWS Foundations v5.0.0 control ids. */
  public List<String> cis() {
    return controls(CIS_AWS);
  }

  /** The AWS FSBP control ids. */
  public List<String> fsbp() {
    return controls(AWS_FSBP);
  }

  /**
   * A workload (admission) rule's metadata: it reviews {@code appliesTo} kinds, maps to no control.
   */
  public static RuleMetadata workload(
      String id,
      String titleEn,
      String titleJa,
      String remediationEn,
      String remediationJa,
      Severity severity,
      Set<String> appliesTo) {
    return builder(id, Source.KUBERNETES)
        .title(titleEn, titleJa)
        .remediation(remediationEn, remediationJa)
        .severity(severity)
        .appliesTo(appliesTo)
        .build();
  }

  public static Builder builder(String id, Source source) {
    return new Builder(id, source);
  }

  /** Fluent construction, so each rule's metadata reads like a table row. */
  public static final class Builder {
    private final String id;
    private final Source source;
    private String titleEn;
    private String titleJa;
    private String remediationEn;
    private String remediationJa;
    private String remediationUrl;
    private Severity severity;
    private String resourceType;
    private Set<String> appliesTo = Set.of();
    private final List<Control> compliance = new ArrayList<>();
    private List<String> requiredActions = List.of();
    private List<String> services = List.of();
    private String tagsNote;
    private String coveredBy;
    private Category category = Category.POSTURE;

    private Builder(String id, Source source) {
      this.id = id;
      this.source = source;
    }

    public Builder title(String en, String ja) {
      this.titleEn = en;
      this.titleJa = ja;
      return this;
    }

    public Builder remediation(String en, String ja) {
      return remediation(en, ja, null);
    }

    public Builder remediation(String en, String ja, String url) {
      this.remediationEn = en;
      this.remediationJa = ja;
      this.remediationUrl = url;
      return this;
    }

    public Builder severity(Severity severity) {
      this.severity = severity;
      return this;
    }

    public Builder resourceType(String resourceType) {
      this.resourceType = resourceType;
      return this;
    }

    public Builder appliesTo(Set<String> kinds) {
      this.appliesTo = kinds;
      return this;
    }

    /** Adds controls of one framework (wire value, e.g. {@link #CIS_AWS}). */
    public Builder controls(String framework, String... ids) {
      for (var c : ids) {
        compliance.add(new Control(framework, c));
      }
      return this;
    }

    public Builder requiredActions(java.util.Collection<String> actions) {
      this.requiredActions = List.copyOf(actions);
      return this;
    }

    public Builder services(java.util.Collection<String> services) {
      this.services = List.copyOf(services);
      return this;
    }

    public Builder tagsNote(String note) {
      this.tagsNote = note;
      return this;
    }

    public Builder coveredBy(String ruleId) {
      this.coveredBy = ruleId;
      return this;
    }

    public Builder category(Category category) {
      this.category = category;
      return this;
    }

    public RuleMetadata build() {
      return new RuleMetadata(
          id,
          source,
          titleEn,
          titleJa,
          remediationEn,
          remediationJa,
          remediationUrl,
          severity,
          resourceType,
          appliesTo,
          compliance,
          requiredActions,
          services,
          tagsNote,
          coveredBy,
          category);
    }
  }
}
