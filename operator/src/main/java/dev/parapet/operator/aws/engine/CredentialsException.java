package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.inventory.CollectionError;

/** The identity or region probe failed (invalid or missing credentials, no network). */
public final class CredentialsException extends ScanException {
  private final CollectionError error;

  public CredentialsException(CollectionError error) {
    super("cannot start the scan: " + error.describe());
    this.error = error;
  }

  public CollectionError error() {
    return error;
  }
}
