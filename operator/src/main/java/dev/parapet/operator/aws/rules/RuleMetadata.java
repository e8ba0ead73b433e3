package dev.parapet.operator.aws.rules;

import dev.parapet.core.Severity;
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
 *
 * <p>{@code datasets} are the data the verdict depends on: when one is unknown, the rule is UNKNOWN
 * there. {@code tagDatasets} are read only for the resources' tags, which only policy exceptions
 * use: when one is unknown, the verdict stands, the scan lists the error, and the resources carry
 * no tags (so a tag exception cannot match them and their findings stay visible).
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
    List<Class<? extends Dataset>> tagDatasets,
    String tagsNote,
    String coveredBy) {

  /** The resource type of account-level settings, which carry no tags. */
  public static final String ACCOUNT = "AWS::::Account";

  public RuleMetadata {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(severity, "severity");
    cis = List.copyOf(cis);
    fsbp = List.copyOf(fsbp);
    datasets = List.copyOf(new LinkedHashSet<>(datasets));
    tagDatasets = tagDatasets == null ? List.of() : List.copyOf(new LinkedHashSet<>(tagDatasets));
    for (var t : tagDatasets) {
      if (datasets.contains(t)) {
        throw new IllegalArgumentException(
            id + ": " + t.getSimpleName() + " is both a verdict and a tags-only dataset");
      }
    }
  }

  /** Every dataset the engine collects for the rule: the verdict's, then the tags-only ones. */
  public List<Class<? extends Dataset>> allDatasets() {
    var all = new LinkedHashSet<Class<? extends Dataset>>(datasets);
    all.addAll(tagDatasets);
    return List.copyOf(all);
  }

  /** The IAM actions the rule's datasets (tags-only ones included) are collected with, sorted. */
  public Set<String> iamActions() {
    var actions = new TreeSet<String>();
    allDatasets().forEach(d -> actions.addAll(Datasets.actions(d)));
    return actions;
  }

  /**
   * True when the rule's results name resources that can carry tags (everything but account-level
   * settings), so an exception's {@code tags} criterion can match them.
   */
  public boolean resourcesTagged() {
    return !ACCOUNT.equals(resourceType);
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
    private List<Class<? extends Dataset>> tagDatasets = List.of();
    private String tagsNote;
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

    /** Datasets read only for the resources' tags (see the class comment). */
    @SafeVarargs
    public final Builder tagsFrom(Class<? extends Dataset>... datasets) {
      this.tagDatasets = List.of(datasets);
      return this;
    }

    /** Which of the rule's results carry tags, when not all of them do (docs/rules.md). */
    public Builder tagsNote(String note) {
      this.tagsNote = note;
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
          tagDatasets,
          tagsNote,
          coveredBy);
    }
  }
}
