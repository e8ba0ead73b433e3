package dev.parapet.operator.aws.inventory;

import java.util.Objects;

/** A value that could not be read; never to be treated as PASS or FAIL. */
public record Unknown<T>(CollectionError error) implements Fact<T> {
  public Unknown {
    Objects.requireNonNull(error, "error");
  }
}
