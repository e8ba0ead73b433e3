package dev.parapet.operator.aws.inventory.s3;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import java.util.List;
import java.util.Map;

/**
 * Per bucket: Bucket versioning status (Enabled, Suspended or Disabled, never enabled) and its MFA
 * Delete setting, both from the one GetBucketVersioning answer.
 */
@DatasetSpec(service = "s3", global = true, actions = "s3:GetBucketVersioning")
public record BucketVersioning(Map<String, Fact<BucketVersioning.Versioning>> byBucket)
    implements PerBucket.Values {

  public BucketVersioning {
    byBucket = PerBucket.copy(byBucket);
  }

  @Override
  public Map<String, Fact<BucketVersioning.Versioning>> values() {
    return byBucket;
  }

  @Override
  public BucketVersioning withValues(Map<String, ? extends Fact<?>> values) {
    return new BucketVersioning(PerBucket.cast(values));
  }

  @Override
  public int resourceCount() {
    return 0; // the buckets are counted once, by Buckets
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PerBucket.errors(byBucket);
  }

  /**
   * Enabled, Suspended, or Disabled when versioning was never turned on; {@code mfaDelete} Enabled
   * or Disabled, or null when the answer has no MFADelete element, which S3 returns only for a
   * bucket that has ever been configured with MFA Delete (so null means it never was).
   */
  public record Versioning(String status, String mfaDelete) {

    /** Without the MFA Delete setting (fixtures of rules that do not read it). */
    public Versioning(String status) {
      this(status, null);
    }

    public boolean enabled() {
      return "Enabled".equals(status);
    }

    public boolean mfaDeleteEnabled() {
      return "Enabled".equals(mfaDelete);
    }
  }
}
