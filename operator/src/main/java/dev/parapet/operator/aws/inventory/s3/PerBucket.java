package dev.parapet.operator.aws.inventory.s3;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
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

  /**
   * A per-bucket dataset as a map of bucket name to its value, which can be rebuilt with other
   * values: a targeted re-evaluation reads a few buckets and the engine keeps the rest of the
   * account's last values ({@code HeldInventories}), narrowing and merging through these two.
   */
  public interface Values extends Dataset {
    Map<String, ? extends Fact<?>> values();

    /** The same dataset type holding {@code values} instead. */
    Values withValues(Map<String, ? extends Fact<?>> values);
  }

  /** {@code values} as the map of a per-bucket dataset (each type rebuilds only its own values). */
  @SuppressWarnings("unchecked")
  static <T> Map<String, Fact<T>> cast(Map<String, ? extends Fact<?>> values) {
    return (Map<String, Fact<T>>) (Map<String, ?>) values;
  }

  /** {@code dataset} with only the values of {@code buckets} (those it has). */
  public static Values only(Values dataset, java.util.Set<String> buckets) {
    var out = new java.util.HashMap<String, Fact<?>>();
    dataset
        .values()
        .forEach(
            (b, f) -> {
              if (buckets.contains(b)) {
                out.put(b, f);
              }
            });
    return dataset.withValues(out);
  }

  /**
   * {@code held} with the values of {@code buckets} replaced by those of {@code fresh}: a bucket
   * {@code fresh} has no value for (it no longer exists) loses its held value too.
   */
  public static Values merge(Values held, Values fresh, java.util.Set<String> buckets) {
    var out = new java.util.HashMap<String, Fact<?>>(held.values());
    out.keySet().removeAll(buckets);
    fresh
        .values()
        .forEach(
            (b, f) -> {
              if (buckets.contains(b)) {
                out.put(b, f);
              }
            });
    return held.withValues(out);
  }

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
