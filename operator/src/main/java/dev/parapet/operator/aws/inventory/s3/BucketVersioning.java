package dev.parapet.operator.aws.inventory.s3;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import java.util.List;
import java.util.Map;

/** Per bucket: Bucket versioning status: Enabled, Suspended or Disabled (never enabled). */
@DatasetSpec(service = "s3", global = true, actions = "s3:GetBucketVersioning")
public record BucketVersioning(Map<String, Fact<BucketVersioning.Versioning>> byBucket)
    implements Dataset {

  public BucketVersioning {
    byBucket = PerBucket.copy(byBucket);
  }

  @Override
  public int resourceCount() {
    return 0; // the buckets are counted once, by Buckets
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PerBucket.errors(byBucket);
  }

  /** Enabled, Suspended, or Disabled when versioning was never turned on. */
  public record Versioning(String status) {
    public boolean enabled() {
      return "Enabled".equals(status);
    }
  }
}
