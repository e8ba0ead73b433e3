package dev.parapet.operator.aws.inventory.s3;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Unknown;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shared shape of the per-bucket S3 datasets: bucket name to a value that is known or unknown on
 * its own, so one bucket whose policy denies the scanner does not hide the others.
 */
public final class PerBucket {
  private PerBucket() {}

  public static <T> Map<String, Fact<T>> copy(Map<String, Fact<T>> values) {
    return Map.copyOf(new TreeMap<>(values));
  }

  public static List<CollectionError> errors(Map<String, ? extends Fact<?>> values) {
    return values.values().stream()
        .filter(f -> f instanceof Unknown<?>)
        .map(f -> ((Unknown<?>) f).error())
        .toList();
  }
}
