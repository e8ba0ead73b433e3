package dev.parapet.operator.aws.events;

/**
 * What a poller last saw of its queue: {@code healthy} with reason {@code Polling}, or not, with
 * the queue failure's reason ({@code QueueDoesNotExist}, {@code AccessDenied}, {@code Throttled},
 * ...) and a redacted message.
 */
public record PollerStatus(boolean healthy, String reason, String message) {

  public static final PollerStatus STARTING =
      new PollerStatus(false, "Starting", "the event poller is starting");

  public static PollerStatus polling(String queueUrl, Integer maxReceiveCount) {
    return new PollerStatus(
        true,
        "Polling",
        "polling "
            + queueUrl
            + (maxReceiveCount == null
                ? " (no dead-letter queue: a message that keeps failing is retried until it"
                    + " expires)"
                : " (a message failing "
                    + maxReceiveCount
                    + " times goes to its dead-letter queue)"));
  }
}
