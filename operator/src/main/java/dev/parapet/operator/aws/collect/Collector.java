package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.Datasets;

/**
 * Reads one {@link Dataset} for one region (or once per account when the dataset is global). May
 * throw any SDK exception: the engine turns it into an {@code Unknown} with the reason.
 */
public interface Collector<D extends Dataset> {

  Class<D> type();

  D collect(CollectContext context);

  default boolean global() {
    return Datasets.isGlobal(type());
  }

  default String service() {
    return Datasets.service(type());
  }

  /** A collector from a type and a function, so a service's collectors fit in one small class. */
  static <D extends Dataset> Collector<D> of(
      Class<D> type, java.util.function.Function<CollectContext, D> fn) {
    return new Collector<>() {
      @Override
      public Class<D> type() {
        return type;
      }

      @Override
      public D collect(CollectContext context) {
        return fn.apply(context);
      }

      @Override
      public String toString() {
        return "Collector[" + type.getSimpleName() + "]";
      }
    };
  }
}
