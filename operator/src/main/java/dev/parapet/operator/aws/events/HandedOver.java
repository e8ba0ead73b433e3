package dev.parapet.operator.aws.events;

/**
 * Thrown by a {@link Reevaluator} or a {@link CloudTrailEventListener} when this replica may no
 * longer write the account's Findings (its shard or the leader Lease moved). The poller then leaves
 * the whole burst in the queue untouched, neither deleted nor retried, so the messages become
 * visible again after the queue's visibility timeout for the account's next holder, and backs off
 * until it is stopped.
 */
public final class HandedOver extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HandedOver(String message, Throwable cause) {
    super(message, cause);
  }
}
