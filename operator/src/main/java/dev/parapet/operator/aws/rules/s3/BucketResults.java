package dev.parapet.operator.aws.rules.s3;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.Unknown;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.s3.BucketTags;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;
import java.util.Map;

/**
 * Walks the account's buckets for a per-bucket rule: a bucket whose setting is known is judged; a
 * bucket whose setting (or region) could not be read yields UNKNOWN in the bucket's region. A
 * bucket's resource carries its tags when the rule reads {@link BucketTags} for tags.
 */
final class BucketResults {
  private BucketResults() {}

  /** Judges one bucket whose setting is known. */
  @FunctionalInterface
  interface Judge<T> {
    RuleResult judge(Resource bucket, T value);
  }

  static Resource resource(RegionView view, Buckets.Bucket bucket) {
    return new Resource(
        "AWS::S3::Bucket",
        bucket.name(),
        "arn:" + view.partition() + ":s3:::" + bucket.name(),
        view.accountId(),
        bucket.region(),
        view.tagSource(BucketTags.class).map(t -> t.of(bucket.name())).orElse(Map.of()));
  }

  static <T> void each(
      RegionView view, Map<String, Fact<T>> values, List<RuleResult> results, Judge<T> judge) {
    var buckets = view.get(Buckets.class);
    buckets.unreadable().values().forEach(e -> results.add(RuleResult.unknown(Datasets.GLOBAL, e)));
    for (var bucket : buckets.buckets()) {
      var fact = values.get(bucket.name());
      if (fact instanceof Known<T> known) {
        results.add(judge.judge(resource(view, bucket), known.value()));
      } else if (fact instanceof Unknown<T> unknown) {
        results.add(RuleResult.unknown(bucket.region(), unknown.error()));
      } else {
        // Listed after the per-bucket pass started (created mid-scan): not judged this time.
        results.add(
            RuleResult.unknown(
                bucket.region(),
                new CollectionError(
                    "s3",
                    bucket.region(),
                    "",
                    UnknownReason.Error,
                    "bucket " + bucket.name() + " was not read")));
      }
    }
  }
}
