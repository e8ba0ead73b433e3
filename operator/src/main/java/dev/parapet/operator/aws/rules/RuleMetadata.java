package dev.parapet.operator.aws.rules;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.Datasets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything about a rule that is not its logic: stable id, texts in English and Japanese,
 * severity, resource type, CIS AWS Foundations v5.0.0 and FSBP control ids, the datasets it reads
 * and hence the IAM actions it needs. {@code coveredBy} names a broader rule whose FAIL on the same
 * resource makes this rule's FAIL redundant (reported once, not twice).
 */
public record RuleMetadata(
    String id,
    String titleEn,
    String titleJa,
    String remediationEn,
    String remediationJa,
    String remediationUrl,
    Severity severity,
    String resourceType,
    List<String> cis,
    List<String> fsbp,
    List<Class<? extends Dataset>> datasets,
    String coveredBy) {

  public RuleMetadata {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(severity, "severity");
    cis = List.copyOf(cis);
    fsbp = List.copyOf(fsbp);
    datasets = List.copyOf(new LinkedHashSet<>(datasets));
  }

  /** The IAM actions the rule's datasets are collected with, sorted. */
  public Set<String> iamActions() {
    var actions = new TreeSet<String>();
    datasets.forEach(d -> actions.addAll(Datasets.actions(d)));
    return actions;
  }

  /** True when every dataset the rule reads is global (evaluated once, region {@code global}). */
  public boolean global() {
    return !datasets.isEmpty() && datasets.stream().allMatch(Datasets::isGlobal);
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** Fluent construction, so each rule's metadata reads like a table row. */
  public static final class Builder {
    private final String id;
    private String titleEn;
    private String titleJa;
    private String remediationEn;
    private String remediationJa;
    private String remediationUrl;
    private Severity severity;
    private String resourceType;
    private List<String> cis = List.of();
    private List<String> fsbp = List.of();
    private List<Class<? extends Dataset>> datasets = List.of();
    private String coveredBy;

    private Builder(String id) {
      this.id = id;
    }

    public Builder title(String en, String ja) {
      this.titleEn = en;
      this.titleJa = ja;
      return this;
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

    public Builder cis(String... ids) {
      this.cis = List.of(ids);
      return this;
    }

    public Builder fsbp(String... ids) {
      this.fsbp = List.of(ids);
      return this;
    }

    @SafeVarargs
    public final Builder reads(Class<? extends Dataset>... datasets) {
      this.datasets = List.of(datasets);
      return this;
    }

    public Builder coveredBy(String ruleId) {
      this.coveredBy = ruleId;
      return this;
    }

    public RuleMetadata build() {
      return new RuleMetadata(
          id,
          titleEn,
          titleJa,
          remediationEn,
          remediationJa,
          remediationUrl,
          severity,
          resourceType,
          cis,
          fsbp,
          datasets,
          coveredBy);
    }
  }
}
