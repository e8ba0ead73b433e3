package dev.parapet.operator.aws.inventory.s3;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import java.util.List;
import java.util.Map;

/**
 * Per bucket: Bucket Object Ownership setting (null when no ownership controls exist: ACLs
 * enabled).
 */
@DatasetSpec(service = "s3", global = true, actions = "s3:GetBucketOwnershipControls")
public record BucketOwnership(Map<String, Fact<BucketOwnership.Ownership>> byBucket)
    implements PerBucket.Values {

  public BucketOwnership {
    byBucket = PerBucket.copy(byBucket);
  }

  @Override
  public Map<String, Fact<BucketOwnership.Ownership>> values() {
    return byBucket;
  }

  @Override
  public BucketOwnership withValues(Map<String, ? extends Fact<?>> values) {
    return new BucketOwnership(PerBucket.cast(values));
  }

  @Override
  public int resourceCount() {
    return 0; // the buckets are counted once, by Buckets
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PerBucket.errors(byBucket);
  }

  /** The Object Ownership rule; null when the bucket has no ownership controls. */
  public record Ownership(String objectOwnership) {
    public boolean aclsDisabled() {
      return "BucketOwnerEnforced".equals(objectOwnership);
    }
  }
}
