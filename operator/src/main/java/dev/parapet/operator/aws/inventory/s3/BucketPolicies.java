package dev.parapet.operator.aws.inventory.s3;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import java.util.List;
import java.util.Map;

/**
 * Per bucket: its bucket policy (GetBucketPolicy) and, only when one exists, AWS's own verdict on
 * whether it makes the bucket public (GetBucketPolicyStatus). No policy is a known state.
 */
@DatasetSpec(
    service = "s3",
    global = true,
    actions = {"s3:GetBucketPolicy", "s3:GetBucketPolicyStatus"})
public record BucketPolicies(Map<String, Fact<Policy>> byBucket) implements PerBucket.Values {

  public BucketPolicies {
    byBucket = PerBucket.copy(byBucket);
  }

  @Override
  public Map<String, Fact<Policy>> values() {
    return byBucket;
  }

  @Override
  public BucketPolicies withValues(Map<String, ? extends Fact<?>> values) {
    return new BucketPolicies(PerBucket.cast(values));
  }

  @Override
  public int resourceCount() {
    return 0; // the buckets are counted once, by Buckets
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PerBucket.errors(byBucket);
  }

  /** A bucket's policy; {@code document} is null and {@code isPublic} false when it has none. */
  public record Policy(PolicyDocument document, boolean isPublic) {
    public static Policy none() {
      return new Policy(null, false);
    }

    public boolean present() {
      return document != null;
    }
  }
}
