package dev.parapet.operator.aws.inventory.s3;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import java.util.List;
import java.util.Map;

/** Per bucket: its server access logging (GetBucketLogging), off when no target bucket is set. */
@DatasetSpec(service = "s3", global = true, actions = "s3:GetBucketLogging")
public record BucketLogging(Map<String, Fact<BucketLogging.Logging>> byBucket)
    implements PerBucket.Values {

  public BucketLogging {
    byBucket = PerBucket.copy(byBucket);
  }

  @Override
  public Map<String, Fact<BucketLogging.Logging>> values() {
    return byBucket;
  }

  @Override
  public BucketLogging withValues(Map<String, ? extends Fact<?>> values) {
    return new BucketLogging(PerBucket.cast(values));
  }

  @Override
  public int resourceCount() {
    return 0; // the buckets are counted once, by Buckets
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PerBucket.errors(byBucket);
  }

  /** The bucket the access logs are delivered to, null when server access logging is off. */
  public record Logging(String targetBucket) {
    public boolean enabled() {
      return targetBucket != null && !targetBucket.isBlank();
    }
  }
}
