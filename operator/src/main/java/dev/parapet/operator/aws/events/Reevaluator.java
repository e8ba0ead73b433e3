package dev.parapet.operator.aws.events;

import dev.parapet.operator.aws.inventory.Dataset;
import java.time.Instant;
import java.util.Set;

/**
 * Re-checks what a burst of events changed: collects {@code datasets} in {@code region} (a global
 * dataset once), re-runs the rules reading them and brings their Findings up to date with the same
 * Finding writer as the periodic scan. Implemented by the operator; throwing makes the burst's
 * messages fail (they are redelivered, and go to the dead-letter queue after the queue's
 * maxReceiveCount), except {@link HandedOver}, which leaves them untouched for the account's next
 * holder.
 */
@FunctionalInterface
public interface Reevaluator {

  /**
   * @param oldestEvent the earliest CloudTrail {@code eventTime} of the burst (for the latency
   *     metric), or null when no record carried one
   * @param receivedAt when the first message of the burst was received
   * @return the number of AWS API calls the re-evaluation made
   */
  long reevaluate(
      CloudAccountRef account,
      String region,
      Set<Class<? extends Dataset>> datasets,
      Instant oldestEvent,
      Instant receivedAt)
      throws Exception;

  /**
   * As the five-argument form, narrowed to {@code buckets} when not empty: the per-bucket S3
   * datasets are re-collected for those buckets only, and only their Findings may change (see
   * {@link EventMapping#PER_BUCKET}). The default re-evaluates every bucket (always correct, only
   * dearer); the operator's implementation narrows.
   */
  default long reevaluate(
      CloudAccountRef account,
      String region,
      Set<Class<? extends Dataset>> datasets,
      Set<String> buckets,
      Instant oldestEvent,
      Instant receivedAt)
      throws Exception {
    return reevaluate(account, region, datasets, oldestEvent, receivedAt);
  }
}
