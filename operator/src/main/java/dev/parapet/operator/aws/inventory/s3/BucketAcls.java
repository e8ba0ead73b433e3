package dev.parapet.operator.aws.inventory.s3;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import java.util.List;
import java.util.Map;

/** Per bucket: Bucket ACL grants to the AllUsers / AuthenticatedUsers groups. */
@DatasetSpec(service = "s3", global = true, actions = "s3:GetBucketAcl")
public record BucketAcls(Map<String, Fact<BucketAcls.Acl>> byBucket) implements PerBucket.Values {

  public BucketAcls {
    byBucket = PerBucket.copy(byBucket);
  }

  @Override
  public Map<String, Fact<BucketAcls.Acl>> values() {
    return byBucket;
  }

  @Override
  public BucketAcls withValues(Map<String, ? extends Fact<?>> values) {
    return new BucketAcls(PerBucket.cast(values));
  }

  @Override
  public int resourceCount() {
    return 0; // the buckets are counted once, by Buckets
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PerBucket.errors(byBucket);
  }

  /** Grants to everyone, as {@code Group:Permission} (e.g. {@code AllUsers:READ}). */
  public record Acl(List<String> publicGrants) {
    public Acl {
      publicGrants = List.copyOf(publicGrants);
    }
  }
}
