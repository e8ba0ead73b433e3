package dev.parapet.operator.aws.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.Datasets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An AWS rule as the engine sees it: its {@link RuleMetadata} (stable id, texts in English and
 * Japanese, severity, resource type, CIS AWS Foundations v5.0.0 and FSBP control ids, the IAM
 * actions and services it needs) plus the datasets it reads, from which those IAM actions and
 * services are derived. {@code coveredBy} names a broader rule whose FAIL on the same resource
 * makes this rule's FAIL redundant (reported once, not twice).
 *
 * <p>{@code datasets} are the data the verdict depends on: when one is unknown, the rule is UNKNOWN
 * there. {@code tagDatasets} are read only for the resources' tags, which only policy exceptions
 * use: when one is unknown, the verdict stands, the scan lists the error, and the resources carry
 * no tags (so a tag exception cannot match them and their findings stay visible).
 */
public record RuleDefinition(
    RuleMetadata metadata,
    List<Class<? extends Dataset>> datasets,
    List<Class<? extends Dataset>> tagDatasets) {

  public RuleDefinition {
    Objects.requireNonNull(metadata, "metadata");
    datasets = List.copyOf(new LinkedHashSet<>(datasets));
    tagDatasets = tagDatasets == null ? List.of() : List.copyOf(new LinkedHashSet<>(tagDatasets));
    for (var t : tagDatasets) {
      if (datasets.contains(t)) {
        throw new IllegalArgumentException(
            metadata.id()
                + ": "
                + t.getSimpleName()
                + " is both a verdict and a tags-only dataset");
      }
    }
  }

  public String id() {
    return metadata.id();
  }

  /** Every dataset the engine collects for the rule: the verdict's, then the tags-only ones. */
  public List<Class<? extends Dataset>> allDatasets() {
    return allDatasets(datasets, tagDatasets);
  }

  private static List<Class<? extends Dataset>> allDatasets(
      List<Class<? extends Dataset>> datasets, List<Class<? extends Dataset>> tagDatasets) {
    var all = new LinkedHashSet<Class<? extends Dataset>>(datasets);
    all.addAll(tagDatasets);
    return List.copyOf(all);
  }

  /** The IAM actions the rule's datasets (tags-only ones included) are collected with, sorted. */
  public Set<String> iamActions() {
    return iamActions(allDatasets());
  }

  private static Set<String> iamActions(List<Class<? extends Dataset>> datasets) {
    var actions = new TreeSet<String>();
    datasets.forEach(d -> actions.addAll(Datasets.actions(d)));
    return actions;
  }

  /**
   * True when the rule's results name resources that can carry tags (everything but account-level
   * settings), so an exception's {@code tags} criterion can match them.
   */
  public boolean resourcesTagged() {
    return metadata.resourcesTagged();
  }

  /** True when every dataset the rule reads is global (evaluated once, region {@code global}). */
  public boolean global() {
    return !datasets.isEmpty() && datasets.stream().allMatch(Datasets::isGlobal);
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** Fluent construction, so each rule's definition reads like a table row. */
  public static final class Builder {
    private final RuleMetadata.Builder metadata;
    private List<String> cis = List.of();
    private List<String> fsbp = List.of();
    private List<Class<? extends Dataset>> datasets = List.of();
    private List<Class<? extends Dataset>> tagDatasets = List.of();

    private Builder(String id) {
      this.metadata = RuleMetadata.builder(id, RuleMetadata.Source.AWS);
    }

    public Builder title(String en, String ja) {
      metadata.title(en, ja);
      return this;
    }

    public Builder remediation(String en, String ja, String url) {
      metadata.remediation(en, ja, url);
      return this;
    }

    public Builder severity(Severity severity) {
      metadata.severity(severity);
      return this;
    }

    public Builder resourceType(String resourceType) {
      metadata.resourceType(resourceType);
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
      metadata.tagsNote(note);
      return this;
    }

    public Builder coveredBy(String ruleId) {
      metadata.coveredBy(ruleId);
      return this;
    }

    public RuleDefinition build() {
      var all = allDatasets(datasets, tagDatasets);
      metadata
          .controls(RuleMetadata.CIS_AWS, cis.toArray(String[]::new))
          .controls(RuleMetadata.AWS_FSBP, fsbp.toArray(String[]::new))
          .requiredActions(iamActions(all))
          .services(all.stream().map(Datasets::service).distinct().sorted().toList());
      return new RuleDefinition(metadata.build(), datasets, tagDatasets);
    }
  }
}
