package dev.parapet.operator.aws.inventory.cloudtrail;

import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.ResourceTags;
import java.util.Map;

/**
 * The tags of the trails homed in one region, by trail ARN (ListTags in that region, up to 20 trail
 * ARNs per call). Read only for policy exceptions.
 */
@DatasetSpec(service = "cloudtrail", actions = "cloudtrail:ListTags")
public record TrailTags(Map<String, Fact<Map<String, String>>> byResource) implements ResourceTags {

  public TrailTags {
    byResource = ResourceTags.copy(byResource);
  }

  @Override
  public String noun() {
    return "trail";
  }
}
