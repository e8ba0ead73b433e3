package dev.parapet.operator.aws.inventory;

import java.util.Map;
import java.util.TreeMap;

/** Small helpers for resource tags. */
public final class Tags {
  private Tags() {}

  /** An immutable, sorted copy (null becomes empty). */
  public static Map<String, String> copy(Map<String, String> tags) {
    return tags == null ? Map.of() : Map.copyOf(new TreeMap<>(tags));
  }
}
