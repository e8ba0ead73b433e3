package dev.parapet.operator.aws.inventory;

import java.util.function.Function;

/**
 * A collected value: either {@link Known} or {@link Unknown} with the reason it could not be read.
 */
public sealed interface Fact<T> permits Known, Unknown {

  static <T> Fact<T> known(T value) {
    return new Known<>(value);
  }

  static <T> Fact<T> unknown(CollectionError error) {
    return new Unknown<>(error);
  }

  default boolean isKnown() {
    return this instanceof Known<T>;
  }

  /** Maps a known value; an unknown value stays unknown with the same reason. */
  default <R> Fact<R> map(Function<? super T, ? extends R> fn) {
    if (this instanceof Known<T> k) {
      return new Known<>(fn.apply(k.value()));
    }
    return new Unknown<>(((Unknown<T>) this).error());
  }
}
