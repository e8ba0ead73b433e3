package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.Fact;

/** Runs one collector and turns any failure into an {@code Unknown} with its reason. */
public final class CollectorRunner {
  private CollectorRunner() {}

  public static Fact<? extends Dataset> run(Collector<?> collector, CollectContext context) {
    try (var bound = context.session().bind()) {
      return Fact.known(collector.collect(context));
    } catch (RuntimeException e) {
      return Fact.unknown(
          Failures.classify(
              e,
              collector.service(),
              context.region(),
              context.session().counter().lastOperationOnThisThread()));
    }
  }
}
