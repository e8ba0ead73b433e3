package dev.parapet.operator.aws.collect;

import java.util.Set;

/**
 * What a collector gets: the session's clients, the verified account id, and the region ({@code
 * global} for global datasets; call global services through {@link AwsSession#homeRegion()}).
 *
 * <p>{@code buckets}, when not empty, narrows the per-bucket S3 datasets to those buckets (a
 * targeted re-evaluation after an S3 event): the bucket list is not walked, only these buckets are
 * located and read. Other collectors ignore it.
 */
public record CollectContext(
    AwsSession session, String accountId, String region, Set<String> buckets) {

  public CollectContext {
    buckets = buckets == null ? Set.of() : Set.copyOf(buckets);
  }

  public CollectContext(AwsSession session, String accountId, String region) {
    this(session, accountId, region, Set.of());
  }
}
