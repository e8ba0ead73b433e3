package dev.parapet.operator.aws.rules;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.Unknown;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A regional rule that judges each item of one dataset on its own: the shape of most FSBP controls
 * (one load balancer, function, repository, queue ... at a time). The rule is its definition plus
 * three functions: the items of the dataset, the resource an item is, and the {@link Verdict} on
 * it. An item whose own data could not be read (a per-resource call that failed) is UNKNOWN with
 * that reason; the rest of the region is still judged.
 */
public final class PerResourceRule<D extends Dataset, T> extends RegionalRule {
  private final RuleDefinition definition;
  private final Class<D> dataset;
  private final Function<D, List<T>> items;
  private final BiFunction<RegionView, T, Resource> resource;
  private final BiFunction<RegionView, T, Verdict> judge;

  public PerResourceRule(
      RuleDefinition definition,
      Class<D> dataset,
      Function<D, List<T>> items,
      BiFunction<RegionView, T, Resource> resource,
      BiFunction<RegionView, T, Verdict> judge) {
    this.definition = Objects.requireNonNull(definition, "definition");
    if (!definition.datasets().contains(dataset)) {
      throw new IllegalArgumentException(
          definition.id() + " judges " + dataset.getSimpleName() + " without declaring it");
    }
    this.dataset = dataset;
    this.items = items;
    this.resource = resource;
    this.judge = judge;
  }

  @Override
  public RuleDefinition definition() {
    return definition;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var item : items.apply(view.get(dataset))) {
      var verdict = judge.apply(view, item);
      if (verdict.status() == null) {
        continue; // not applicable: no result for this item
      }
      switch (verdict.status()) {
        case PASS -> results.add(RuleResult.pass(resource.apply(view, item)));
        case FAIL -> results.add(RuleResult.fail(resource.apply(view, item), verdict.evidence()));
        case UNKNOWN -> results.add(RuleResult.unknown(view.region(), verdict.cause()));
      }
    }
  }

  /**
   * What a rule concluded on one item: PASS, FAIL with evidence, UNKNOWN with the reason, or
   * nothing ({@link #notApplicable()}, e.g. an HTTPS check on a load balancer without TLS
   * listeners).
   */
  public record Verdict(ResultStatus status, String evidence, CollectionError cause) {
    private static final Verdict PASS = new Verdict(ResultStatus.PASS, "", null);
    private static final Verdict NONE = new Verdict(null, "", null);

    public static Verdict pass() {
      return PASS;
    }

    public static Verdict fail(String evidence) {
      return new Verdict(ResultStatus.FAIL, evidence, null);
    }

    public static Verdict unknown(CollectionError cause) {
      return new Verdict(ResultStatus.UNKNOWN, "", Objects.requireNonNull(cause, "cause"));
    }

    public static Verdict notApplicable() {
      return NONE;
    }

    /** FAIL with the evidence when {@code failed}, else PASS. */
    public static Verdict failIf(boolean failed, String evidence) {
      return failed ? fail(evidence) : pass();
    }

    /**
     * Judges a per-item fact: UNKNOWN with its reason when it could not be read, else {@code judge}
     * on the value.
     */
    public static <V> Verdict on(Fact<V> fact, Function<V, Verdict> judge) {
      if (fact instanceof Known<V> known) {
        return judge.apply(known.value());
      }
      return unknown(((Unknown<V>) fact).error());
    }
  }
}
