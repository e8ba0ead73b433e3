package dev.parapet.operator.aws.inventory.kms;

import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.ResourceTags;
import java.util.Map;

/**
 * The tags of the customer-managed KMS keys of one region that the rotation rule judges, by key id
 * (ListResourceTags per key; no KMS call returns the tags of several keys). Read only for policy
 * exceptions.
 */
@DatasetSpec(service = "kms", actions = "kms:ListResourceTags")
public record KmsKeyTags(Map<String, Fact<Map<String, String>>> byResource)
    implements ResourceTags {

  public KmsKeyTags {
    byResource = ResourceTags.copy(byResource);
  }

  @Override
  public String noun() {
    return "key";
  }
}
