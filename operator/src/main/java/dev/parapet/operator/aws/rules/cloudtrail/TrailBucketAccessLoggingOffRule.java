package dev.parapet.operator.aws.rules.cloudtrail;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.Unknown;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.cloudtrail.TrailTags;
import dev.parapet.operator.aws.inventory.cloudtrail.Trails;
import dev.parapet.operator.aws.inventory.s3.BucketLogging;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/**
 * CIS 3.4: the S3 bucket a trail (judged in its home region) delivers its logs to has server access
 * logging off. The bucket's logging is read from the scanned account's bucket list; a bucket that
 * is not in it (another account's, as with a central log archive) or whose logging could not be
 * read leaves that trail UNKNOWN, never a verdict: the benchmark assesses this recommendation
 * manually for that reason, and its owner's scan judges it.
 */
public final class TrailBucketAccessLoggingOffRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-cloudtrail-bucket-access-logging-off")
          .title(
              "The S3 bucket of a CloudTrail trail has server access logging off",
              "CloudTrail 証跡の S3 バケットでサーバーアクセスログ記録が無効になっています")
          .remediation(
              "Turn on server access logging for the trail's bucket, delivering to a separate log"
                  + " bucket (aws s3api put-bucket-logging --bucket <trail-bucket>"
                  + " --bucket-logging-status file://logging.json).",
              "証跡のバケットでサーバーアクセスログ記録を有効にし、別のログ用バケットに配信してください (aws s3api"
                  + " put-bucket-logging --bucket <trail-bucket> --bucket-logging-status"
                  + " file://logging.json)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-7")
          .severity(Severity.LOW)
          .resourceType("AWS::CloudTrail::Trail")
          .cis("3.4")
          .fsbp("CloudTrail.7")
          .reads(Trails.class, Buckets.class, BucketLogging.class)
          .tagsFrom(TrailTags.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var buckets = view.get(Buckets.class);
    var logging = view.get(BucketLogging.class).byBucket();
    for (var trail : view.get(Trails.class).trails()) {
      if (!Trails.homedHere(trail, view.region(), view.accountId())) {
        continue; // a shadow copy or another account's (organization) trail: judged at home
      }
      var bucket = trail.s3BucketName();
      var fact = bucket == null ? null : logging.get(bucket);
      if (fact instanceof Known<BucketLogging.Logging> known) {
        var resource = TrailResources.resource(view, trail);
        if (known.value().enabled()) {
          results.add(RuleResult.pass(resource));
        } else {
          results.add(
              RuleResult.fail(
                  resource,
                  "Trail "
                      + trail.name()
                      + " delivers to bucket "
                      + bucket
                      + ", which has server access logging off"));
        }
      } else if (fact instanceof Unknown<BucketLogging.Logging> unknown) {
        results.add(RuleResult.unknown(view.region(), unknown.error()));
      } else if (bucket != null && buckets.unreadable().containsKey(bucket)) {
        results.add(RuleResult.unknown(view.region(), buckets.unreadable().get(bucket)));
      } else {
        results.add(
            RuleResult.unknown(
                view.region(),
                new CollectionError(
                    "s3",
                    view.region(),
                    "GetBucketLogging",
                    UnknownReason.Error,
                    "trail "
                        + trail.name()
                        + (bucket == null
                            ? " names no S3 bucket"
                            : " delivers to bucket "
                                + bucket
                                + ", which is not in the scanned account's bucket list (another"
                                + " account's bucket is judged by that account's scan)"))));
      }
    }
  }
}
