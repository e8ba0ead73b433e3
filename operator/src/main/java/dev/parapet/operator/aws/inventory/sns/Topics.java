package dev.parapet.operator.aws.inventory.sns;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.PartialErrors;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import java.util.List;

/**
 * The SNS topics of one region (ListTopics) with their attributes (one GetTopicAttributes per
 * topic: AWS has no batch form). Only topics whose ARN names the scanned account are kept.
 */
@DatasetSpec(
    service = "sns",
    actions = {"sns:ListTopics", "sns:GetTopicAttributes"})
public record Topics(List<Topic> topics) implements Dataset {

  public Topics {
    topics = List.copyOf(topics);
  }

  @Override
  public int resourceCount() {
    return topics.size();
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PartialErrors.of(topics.stream().map(Topic::attributes));
  }

  /** One topic. */
  public record Topic(String arn, Fact<Attributes> attributes) {
    /** The topic name: the last ARN field. */
    public String name() {
      return arn.substring(arn.lastIndexOf(':') + 1);
    }
  }

  /** {@code kmsKeyId} is null when the topic is not encrypted; {@code policy} null when absent. */
  public record Attributes(String kmsKeyId, PolicyDocument policy) {}
}
