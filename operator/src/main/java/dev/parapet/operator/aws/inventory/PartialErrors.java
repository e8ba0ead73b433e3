package dev.parapet.operator.aws.inventory;

import java.util.List;
import java.util.stream.Stream;

/** The errors of the per-resource facts of a dataset that could not be read. */
public final class PartialErrors {
  private PartialErrors() {}

  public static List<CollectionError> of(Stream<? extends Fact<?>> facts) {
    return facts.filter(f -> f instanceof Unknown<?>).map(f -> ((Unknown<?>) f).error()).toList();
  }
}
