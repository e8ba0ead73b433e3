package dev.parapet.operator.aws.inventory.s3;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import java.util.List;
import java.util.Map;

/**
 * Per bucket: Bucket-level Block Public Access settings (absent configuration = known, nothing
 * blocked).
 */
@DatasetSpec(service = "s3", global = true, actions = "s3:GetBucketPublicAccessBlock")
public record BucketPublicAccessBlocks(Map<String, Fact<PublicAccessBlock>> byBucket)
    implements PerBucket.Values {

  public BucketPublicAccessBlocks {
    byBucket = PerBucket.copy(byBucket);
  }

  @Override
  public Map<String, Fact<PublicAccessBlock>> values() {
    return byBucket;
  }

  @Override
  public BucketPublicAccessBlocks withValues(Map<String, ? extends Fact<?>> values) {
    return new BucketPublicAccessBlocks(PerBucket.cast(values));
  }

  @Override
  public int resourceCount() {
    return 0; // the buckets are counted once, by Buckets
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PerBucket.errors(byBucket);
  }
}
