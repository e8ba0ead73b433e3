package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.CollectionError;

/** The identity or region probe failed, so nothing can be scanned. */
public final class ProbeException extends RuntimeException {
  private final CollectionError error;
  private final boolean unreachable;

  public ProbeException(CollectionError error, Throwable cause) {
    super(error.describe());
    this.error = error;
    this.unreachable = Failures.unreachable(cause);
    // The SDK cause may carry request details; keep only its type for diagnostics.
    addSuppressed(new RuntimeException(cause.getClass().getName()));
  }

  public CollectionError error() {
    return error;
  }

  /** True when no answer came back: the endpoint refused the connection or does not resolve. */
  public boolean unreachable() {
    return unreachable;
  }
}
