package dev.parapet.operator.aws.events;

import java.util.Objects;

/**
 * Which CloudAccount an event queue belongs to, without Kubernetes types (the {@code aws} packages
 * must stay usable without Kubernetes, see {@code ArchitectureTest}): the CloudAccount's namespace
 * and name, and the 12-digit AWS account id from its {@code spec.accountId}.
 *
 * <p>To get the CloudAccount resource itself, look it up by namespace and name (for example in the
 * operator's informer cache); it may have been deleted since the event was received.
 */
public record CloudAccountRef(String namespace, String name, String accountId) {
  public CloudAccountRef {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(accountId, "accountId");
  }

  /** {@code namespace/name}, for logs and keys. */
  public String key() {
    return namespace + "/" + name;
  }
}
