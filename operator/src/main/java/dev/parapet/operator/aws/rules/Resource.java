package dev.parapet.operator.aws.rules;

import dev.parapet.operator.aws.inventory.Tags;
import java.util.Map;
import java.util.Objects;

/**
 * The AWS resource a result is about. {@code type} uses CloudFormation names (e.g. {@code
 * AWS::EC2::SecurityGroup}); account-level settings use {@code AWS::::Account} with a synthetic ARN
 * naming the setting.
 */
public record Resource(
    String type, String id, String arn, String accountId, String region, Map<String, String> tags) {

  public Resource {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(arn, "arn");
    tags = Tags.copy(tags);
  }
}
