package dev.parapet.operator.aws.inventory.s3;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The account's S3 buckets (ListBuckets, once per account) with the region each one lives in (from
 * ListBuckets' BucketRegion when the endpoint returns it, else one GetBucketLocation per bucket).
 * Buckets whose region could not be read are listed in {@code unreadable} with the reason; no
 * per-bucket dataset covers them and rules report them UNKNOWN.
 */
@DatasetSpec(
    service = "s3",
    global = true,
    actions = {"s3:ListAllMyBuckets", "s3:GetBucketLocation"})
public record Buckets(List<Bucket> buckets, Map<String, CollectionError> unreadable)
    implements Dataset {

  public Buckets {
    buckets = List.copyOf(buckets);
    unreadable = Map.copyOf(new TreeMap<>(unreadable));
  }

  @Override
  public int resourceCount() {
    return buckets.size() + unreadable.size();
  }

  @Override
  public List<CollectionError> partialErrors() {
    return List.copyOf(unreadable.values());
  }

  /** One bucket and its region. */
  public record Bucket(String name, String region) {}
}
