package dev.parapet.operator.aws.collect;

import java.util.Set;

/**
 * What a collector gets: the session's clients, the verified account id, and the region ({@code
 * global} for global datasets; call global services through {@link AwsSession#homeRegion()}).
 *
 * <p>{@code buckets}, when not empty, narrows the per-bucket S3 datasets to those buckets (a
 * targeted re-evaluation after an S3 event): the bucket list is not walked, only these buckets are
 * located and read. Other collectors ignore it. {@code bucketRegions} (bucket name to region, from
 * the account's held bucket list) locates those buckets without GetBucketLocation; a bucket it does
 * not name is located as before.
 */
public record CollectContext(
    AwsSession session,
    String accountId,
    String region,
    Set<String> buckets,
    java.util.Map<String, String> bucketRegions) {

  public CollectContext {
    buckets = buckets == null ? Set.of() : Set.copyOf(buckets);
    bucketRegions =
        bucketRegions == null ? java.util.Map.of() : java.util.Map.copyOf(bucketRegions);
  }

  public CollectContext(AwsSession session, String accountId, String region, Set<String> buckets) {
    this(session, accountId, region, buckets, java.util.Map.of());
  }

  public CollectContext(AwsSession session, String accountId, String region) {
    this(session, accountId, region, Set.of());
  }
}
