package dev.parapet.operator.aws.events;

/** What the operator hears from a poller besides re-evaluation (conditions, Kubernetes Events). */
public interface PollerCallbacks {

  /** The poller's view of its queue changed. */
  void status(CloudAccountRef account, PollerStatus status);

  /**
   * A message failed for the {@code receiveCount}th time and the queue moves it to its dead-letter
   * queue on the next receive ({@code receiveCount >= maxReceiveCount}); {@code why} is redacted.
   */
  void deadLettered(CloudAccountRef account, String messageId, int receiveCount, String why);

  /** A burst was re-evaluated: the events, the datasets, the region and the API calls made. */
  default void reevaluated(
      CloudAccountRef account, String region, int events, int datasets, long apiCalls) {}

  PollerCallbacks NONE =
      new PollerCallbacks() {
        @Override
        public void status(CloudAccountRef account, PollerStatus status) {}

        @Override
        public void deadLettered(
            CloudAccountRef account, String messageId, int receiveCount, String why) {}
      };
}
