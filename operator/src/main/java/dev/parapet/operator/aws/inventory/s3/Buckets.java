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

  /**
   * The listed or unreadable buckets among {@code names}, as a targeted re-evaluation sees them.
   */
  public Buckets only(java.util.Set<String> names) {
    var unread = new java.util.HashMap<>(unreadable);
    unread.keySet().retainAll(names);
    return new Buckets(buckets.stream().filter(b -> names.contains(b.name())).toList(), unread);
  }

  /**
   * This list with the entries of {@code names} replaced by what {@code fresh} (a re-evaluation of
   * those buckets) says: a bucket fresh neither lists nor calls unreadable no longer exists.
   */
  public Buckets merge(Buckets fresh, java.util.Set<String> names) {
    var list = new java.util.ArrayList<Bucket>();
    buckets.stream().filter(b -> !names.contains(b.name())).forEach(list::add);
    fresh.buckets().stream().filter(b -> names.contains(b.name())).forEach(list::add);
    var unread = new java.util.HashMap<>(unreadable);
    unread.keySet().removeAll(names);
    fresh
        .unreadable()
        .forEach(
            (b, e) -> {
              if (names.contains(b)) {
                unread.put(b, e);
              }
            });
    return new Buckets(list, unread);
  }

  /** The region of each listed bucket. */
  public Map<String, String> regions() {
    var out = new java.util.HashMap<String, String>();
    buckets.forEach(b -> out.put(b.name(), b.region()));
    return out;
  }

  /** One bucket and its region. */
  public record Bucket(String name, String region) {}
}
