package dev.parapet.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * EventBridge and SQS on moto for the event tests: queues with a dead-letter queue, a CloudTrail
 * rule targeting a queue, and CloudTrail-shaped events put on the bus (moto never emits them). The
 * project has no EventBridge SDK module, so the three EventBridge calls are plain JSON-1.1 requests
 * (moto does not check signatures; the Authorization header only names the region).
 */
public final class MotoEvents {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  private final URI endpoint;
  private final String region;
  private final HttpClient http = HttpClient.newHttpClient();

  public MotoEvents(URI endpoint, String region) {
    this.endpoint = endpoint;
    this.region = region;
  }

  /** A queue and its dead-letter queue (maxReceiveCount); returns the queue's ARN. */
  public static String queueWithDlq(SqsClient sqs, String name, int maxReceiveCount) {
    var dlqUrl = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
    var dlqArn = arn(sqs, dlqUrl);
    var url =
        sqs.createQueue(
                b ->
                    b.queueName(name)
                        .attributes(
                            Map.of(
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"deadLetterTargetArn\":\""
                                    + dlqArn
                                    + "\",\"maxReceiveCount\":"
                                    + maxReceiveCount
                                    + "}",
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                "5")))
            .queueUrl();
    return arn(sqs, url);
  }

  public static String arn(SqsClient sqs, String url) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }

  /** Messages visible in a queue (ApproximateNumberOfMessages). */
  public static int visible(SqsClient sqs, String url) {
    return Integer.parseInt(
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(url)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  /**
   * Messages received and neither deleted nor visible again
   * (ApproximateNumberOfMessagesNotVisible).
   */
  public static int inFlight(SqsClient sqs, String url) {
    return Integer.parseInt(
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(url)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** A rule for CloudTrail management events of {@code sources} (aws.ec2, ...) → the queue. */
  public void ruleToQueue(String rule, List<String> sources, String queueArn) throws Exception {
    var pattern = MAPPER.createObjectNode();
    pattern
        .putArray("source")
        .addAll(sources.stream().map(MAPPER.getNodeFactory()::textNode).toList());
    pattern.putArray("detail-type").add("AWS API Call via CloudTrail");
    var put = MAPPER.createObjectNode();
    put.put("Name", rule);
    put.put("EventPattern", pattern.toString());
    put.put("State", "ENABLED");
    call("PutRule", put);
    var targets = MAPPER.createObjectNode();
    targets.put("Rule", rule);
    var t = targets.putArray("Targets").addObject();
    t.put("Id", "parapet-events");
    t.put("Arn", queueArn);
    call("PutTargets", targets);
  }

  /** A CloudTrail record of {@code eventName} with the given request parameters. */
  public static ObjectNode record(
      String eventSource, String eventName, String region, Map<String, Object> requestParameters) {
    var d = MAPPER.createObjectNode();
    d.put("eventVersion", "1.08");
    d.put("eventID", UUID.randomUUID().toString());
    d.put("eventTime", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
    d.put("eventSource", eventSource);
    d.put("eventName", eventName);
    d.put("awsRegion", region);
    d.put("sourceIPAddress", "203.0.113.10");
    d.put("eventType", "AwsApiCall");
    d.put("recipientAccountId", MotoServer.ACCOUNT_ID);
    var who = d.putObject("userIdentity");
    who.put("type", "IAMUser");
    who.put("userName", "alice");
    d.set("requestParameters", MAPPER.valueToTree(requestParameters));
    return d;
  }

  /** Puts CloudTrail records on the default bus as EventBridge would (up to 10 per call). */
  public void put(List<ObjectNode> records) throws Exception {
    for (int i = 0; i < records.size(); i += 10) {
      var body = MAPPER.createObjectNode();
      var entries = body.putArray("Entries");
      for (var r : records.subList(i, Math.min(records.size(), i + 10))) {
        var e = entries.addObject();
        e.put("Source", "aws." + r.get("eventSource").asText().replace(".amazonaws.com", ""));
        e.put("DetailType", "AWS API Call via CloudTrail");
        e.put("Detail", r.toString());
      }
      var out = call("PutEvents", body);
      if (out.path("FailedEntryCount").asInt(0) != 0) {
        throw new IllegalStateException("PutEvents failed: " + out);
      }
    }
  }

  private com.fasterxml.jackson.databind.JsonNode call(String action, ObjectNode body)
      throws Exception {
    var request =
        HttpRequest.newBuilder(endpoint.resolve("/"))
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", "AWSEvents." + action)
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential="
                    + MotoServer.ACCESS_KEY_ID
                    + "/20260101/"
                    + region
                    + "/events/aws4_request, SignedHeaders=host, Signature=0")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    var response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          action + " -> HTTP " + response.statusCode() + ": " + response.body());
    }
    return response.body().isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
  }
}
