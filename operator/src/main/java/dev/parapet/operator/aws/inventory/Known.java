package dev.parapet.operator.aws.inventory;

import java.util.Objects;

/** A value read successfully from the cloud API. */
public record Known<T>(T value) implements Fact<T> {
  public Known {
    Objects.requireNonNull(value, "value");
  }
}
