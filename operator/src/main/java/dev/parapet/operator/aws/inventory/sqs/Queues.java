package dev.parapet.operator.aws.inventory.sqs;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.PartialErrors;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import java.util.List;

/**
 * The SQS queues of one region (ListQueues) with their attributes (one GetQueueAttributes per
 * queue: AWS has no call that reads several queues' attributes). Only queues whose URL names the
 * scanned account are kept.
 */
@DatasetSpec(
    service = "sqs",
    actions = {"sqs:ListQueues", "sqs:GetQueueAttributes"})
public record Queues(List<Queue> queues) implements Dataset {

  public Queues {
    queues = List.copyOf(queues);
  }

  @Override
  public int resourceCount() {
    return queues.size();
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PartialErrors.of(queues.stream().map(Queue::attributes));
  }

  /** One queue: its name, URL and attributes (unknown when GetQueueAttributes failed). */
  public record Queue(String name, String url, Fact<Attributes> attributes) {}

  /**
   * The attributes the rules judge. {@code kmsKeyId} is null without SSE-KMS; {@code sqsManagedSse}
   * is whether SSE-SQS is on; {@code policy} is null without a queue policy.
   */
  public record Attributes(
      String arn, String kmsKeyId, boolean sqsManagedSse, PolicyDocument policy) {}
}
