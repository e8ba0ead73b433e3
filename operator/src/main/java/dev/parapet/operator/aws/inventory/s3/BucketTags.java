package dev.parapet.operator.aws.inventory.s3;

import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.ResourceTags;
import java.util.Map;

/**
 * Per bucket: its tags (GetBucketTagging in the bucket's region; {@code NoSuchTagSet} is a known
 * empty set). Read only for policy exceptions.
 */
@DatasetSpec(service = "s3", global = true, actions = "s3:GetBucketTagging")
public record BucketTags(Map<String, Fact<Map<String, String>>> byResource)
    implements ResourceTags, PerBucket.Values {

  public BucketTags {
    byResource = ResourceTags.copy(byResource);
  }

  @Override
  public Map<String, Fact<Map<String, String>>> values() {
    return byResource;
  }

  @Override
  public BucketTags withValues(Map<String, ? extends Fact<?>> values) {
    return new BucketTags(PerBucket.cast(values));
  }

  @Override
  public String noun() {
    return "bucket";
  }
}
