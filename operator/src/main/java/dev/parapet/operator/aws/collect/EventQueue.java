package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.CollectionError;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * The SQS queue an account's EventBridge rule delivers CloudTrail events to. Uses only the four
 * actions the onboarding template grants on it: sqs:ReceiveMessage, sqs:DeleteMessage,
 * sqs:ChangeMessageVisibility and sqs:GetQueueAttributes (an ARN is turned into the queue URL
 * locally, never with sqs:GetQueueUrl).
 *
 * <p>Failures are thrown as {@link QueueException} with the engine's classification (AccessDenied,
 * Throttled, ...) plus {@code QueueDoesNotExist}.
 */
public final class EventQueue {

  /** The IAM actions the poller calls on the queue (deploy/aws/events-queue-policy.json). */
  public static final List<String> IAM_ACTIONS =
      List.of(
          "sqs:ChangeMessageVisibility",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
          "sqs:ReceiveMessage");

  private static final Pattern ARN =
      Pattern.compile(
          "arn:aws[a-z-]*:sqs:([a-z]{2}(?:-[a-z]+)+-\\d+):(\\d{12}):([A-Za-z0-9_-]{1,80})");
  private static final Pattern URL_REGION =
      Pattern.compile("^https?://sqs\\.([a-z]{2}(?:-[a-z]+)+-\\d+)\\.amazonaws\\.com(\\.cn)?/.*");

  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private final AwsSession session;
  private final String url;
  private final String region;

  private EventQueue(AwsSession session, String url, String region) {
    this.session = session;
    this.url = url;
    this.region = region;
  }

  /** Where a queue named by ARN or URL lives. */
  public record Location(String url, String region) {}

  /**
   * The URL and region of {@code queue} (an ARN or a URL). With an endpoint override (an emulator,
   * a private endpoint) an ARN becomes {@code <override>/<account>/<name>}. A URL whose host names
   * no region is taken to be in {@code fallbackRegion}.
   */
  public static Location locate(String queue, URI endpointOverride, String fallbackRegion) {
    var arn = ARN.matcher(queue);
    if (arn.matches()) {
      var region = arn.group(1);
      var base =
          endpointOverride != null
              ? endpointOverride.toString().replaceAll("/+$", "")
              : "https://sqs."
                  + region
                  + ".amazonaws.com"
                  + (region.startsWith("cn-") ? ".cn" : "");
      return new Location(base + "/" + arn.group(2) + "/" + arn.group(3), region);
    }
    if (queue.startsWith("http://") || queue.startsWith("https://")) {
      var m = URL_REGION.matcher(queue);
      return new Location(queue, m.matches() ? m.group(1) : fallbackRegion);
    }
    throw new IllegalArgumentException("not an SQS queue ARN or URL: " + queue);
  }

  /** The queue at {@code location}, read with {@code session}'s credentials. */
  public static EventQueue open(AwsSession session, Location location) {
    return new EventQueue(session, location.url(), location.region());
  }

  public String url() {
    return url;
  }

  public String region() {
    return region;
  }

  /** One received message; {@code receiveCount} is SQS's ApproximateReceiveCount. */
  public record Message(String messageId, String receiptHandle, String body, int receiveCount) {}

  /**
   * The queue's redrive settings: {@code maxReceiveCount} (empty without a dead-letter queue) and
   * its visibility timeout in seconds.
   */
  public record Attributes(Optional<Integer> maxReceiveCount, int visibilityTimeoutSeconds) {}

  /** sqs:GetQueueAttributes (RedrivePolicy, VisibilityTimeout). */
  public Attributes attributes() {
    return call(
        () -> {
          var attrs =
              session
                  .client(SqsClient.class, region)
                  .getQueueAttributes(
                      GetQueueAttributesRequest.builder()
                          .queueUrl(url)
                          .attributeNames(
                              QueueAttributeName.REDRIVE_POLICY,
                              QueueAttributeName.VISIBILITY_TIMEOUT)
                          .build())
                  .attributes();
          var redrive = attrs.get(QueueAttributeName.REDRIVE_POLICY);
          Optional<Integer> max = Optional.empty();
          if (redrive != null && !redrive.isBlank()) {
            var node = MAPPER.readTree(redrive).get("maxReceiveCount");
            if (node != null && (node.isNumber() || node.isTextual())) {
              max = Optional.of(Integer.parseInt(node.asText()));
            }
          }
          var visibility = attrs.get(QueueAttributeName.VISIBILITY_TIMEOUT);
          return new Attributes(max, visibility == null ? 30 : Integer.parseInt(visibility));
        });
  }

  /** sqs:ReceiveMessage, long-polling up to {@code waitSeconds} (0-20) for up to {@code max}. */
  public List<Message> receive(int max, int waitSeconds) {
    return call(
        () ->
            session
                .client(SqsClient.class, region)
                .receiveMessage(
                    ReceiveMessageRequest.builder()
                        .queueUrl(url)
                        .maxNumberOfMessages(Math.max(1, Math.min(10, max)))
                        .waitTimeSeconds(Math.max(0, Math.min(20, waitSeconds)))
                        .messageSystemAttributeNames(
                            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                        .build())
                .messages()
                .stream()
                .map(
                    m ->
                        new Message(
                            m.messageId(),
                            m.receiptHandle(),
                            m.body(),
                            Integer.parseInt(
                                m.attributes()
                                    .getOrDefault(
                                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                                        "1"))))
                .toList());
  }

  /** sqs:DeleteMessage: the message was handled. */
  public void delete(String receiptHandle) {
    call(
        () ->
            session
                .client(SqsClient.class, region)
                .deleteMessage(
                    DeleteMessageRequest.builder()
                        .queueUrl(url)
                        .receiptHandle(receiptHandle)
                        .build()));
  }

  /** sqs:ChangeMessageVisibility: make a failed message visible again after {@code seconds}. */
  public void retryAfter(String receiptHandle, int seconds) {
    call(
        () ->
            session
                .client(SqsClient.class, region)
                .changeMessageVisibility(
                    ChangeMessageVisibilityRequest.builder()
                        .queueUrl(url)
                        .receiptHandle(receiptHandle)
                        .visibilityTimeout(Math.max(0, Math.min(43_200, seconds)))
                        .build()));
  }

  /** A failed queue call: the engine's reason, or {@code QueueDoesNotExist}, and a message. */
  public static final class QueueException extends RuntimeException {
    private final String reason;

    QueueException(String reason, String message, Throwable cause) {
      super(message, cause);
      this.reason = reason;
    }

    /** AccessDenied, Throttled, Timeout, Unsupported, Error or QueueDoesNotExist. */
    public String reason() {
      return reason;
    }
  }

  private interface Call<T> {
    T run() throws Exception;
  }

  private <T> T call(Call<T> call) {
    try (var bound = session.bind()) {
      return call.run();
    } catch (software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException e) {
      throw new QueueException("QueueDoesNotExist", "queue " + url + " does not exist", e);
    } catch (Exception e) {
      if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s
          && s.awsErrorDetails() != null
          && s.awsErrorDetails().errorCode() != null
          && s.awsErrorDetails()
              .errorCode()
              .toLowerCase(Locale.ROOT)
              .contains("nonexistentqueue")) {
        throw new QueueException("QueueDoesNotExist", "queue " + url + " does not exist", e);
      }
      CollectionError error =
          Failures.classify(e, "sqs", region, session.counter().lastOperationOnThisThread());
      throw new QueueException(error.reason().name(), error.describe(), e);
    }
  }
}
