package dev.parapet.operator.aws.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives every CloudTrail record that the event poller takes off a CloudAccount's queue ({@code
 * spec.events}), next to the poller's own targeted re-evaluation.
 *
 * <p>Registration: implement this as a CDI bean ({@code @ApplicationScoped}); the poller calls
 * every bean of this type (outside CDI, e.g. in tests, pass the listeners to the poller's
 * constructor).
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@code detail} is the EventBridge envelope's {@code detail} object, i.e. one CloudTrail
 *       record ({@code eventID}, {@code eventName}, {@code eventSource}, {@code eventTime}, {@code
 *       awsRegion}, {@code sourceIPAddress}, {@code userIdentity}, {@code requestParameters},
 *       {@code responseElements}, {@code additionalEventData}, ...). It is read-only; do not modify
 *       it. Fields may be missing or {@code null}: treat what is absent as unknown.
 *   <li>{@code region} is the record's {@code awsRegion}, else the envelope's {@code region}.
 *   <li>Delivery is at least once: the same record (same {@code eventID}) can arrive more than
 *       once, also after a leader handover. Handle it idempotently (key on {@code eventID}).
 *   <li>Only the leader calls listeners, on the account's poller thread; keep the call short and do
 *       no long blocking I/O (writing a Finding through the Finding writer is fine).
 *   <li>A listener that throws makes the message count as failed: it is not deleted, SQS redelivers
 *       it after the visibility timeout, and after the queue's {@code maxReceiveCount} it moves to
 *       the dead-letter queue (and a Kubernetes Event is recorded on the CloudAccount). So throw
 *       only for a failure that a retry can fix.
 *   <li>Records of events the poller has no re-evaluation mapping for are still passed to listeners
 *       (e.g. ConsoleLogin, StopLogging).
 * </ul>
 */
@FunctionalInterface
public interface CloudTrailEventListener {

  /**
   * Called once per received CloudTrail record.
   *
   * @param account the CloudAccount whose queue delivered the record
   * @param region the AWS region the event happened in, e.g. eu-west-1 ({@code global} never
   *     appears here; IAM events carry us-east-1 as CloudTrail records them)
   * @param detail the CloudTrail record (the envelope's {@code detail})
   */
  void onEvent(CloudAccountRef account, String region, JsonNode detail);
}
