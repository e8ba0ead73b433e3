package dev.parapet.operator.aws.inventory;

import java.util.Objects;

/**
 * Why one dataset could not be collected: the AWS service, the region ({@code global} for
 * account-wide data), the failing operation, the reason, and a redacted message.
 */
public record CollectionError(
    String service, String region, String operation, UnknownReason reason, String message) {

  public CollectionError {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(reason, "reason");
    operation = operation == null ? "" : operation;
    message = message == null ? "" : message;
  }

  /** One line for logs, status and UNKNOWN evidence. */
  public String describe() {
    var op = operation.isEmpty() ? service : service + ":" + operation;
    return reason + " in " + region + " (" + op + ")" + (message.isEmpty() ? "" : ": " + message);
  }
}
