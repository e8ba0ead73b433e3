package dev.parapet.operator.aws.rules.cloudtrail;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.cloudtrail.MultiRegionTrails;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * CIS 3.9: no logging multi-region trail records the S3 object-level read events of a bucket.
 * Judged per bucket of ListBuckets (also those whose region could not be read: only the name
 * matters) on the event selectors of the multi-region trails (see {@code S3DataEventSelectors}).
 */
public final class S3ObjectReadsNotLoggedRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-cloudtrail-s3-object-reads-not-logged")
          .title(
              "S3 object-level read events of the bucket are not logged by a multi-region trail",
              "バケットの S3 オブジェクトレベルの読み取りイベントがマルチリージョン証跡で記録されていません")
          .remediation(
              "Record S3 data events of type ReadOnly (or All) for all current and future buckets on a"
                  + " multi-region trail (aws cloudtrail put-event-selectors with DataResources"
                  + " Type AWS::S3::Object, Values arn:aws:s3), or for this bucket.",
              "マルチリージョン証跡で、現在および将来のすべてのバケット (またはこのバケット) の S3 データイベントを"
                  + "種類 ReadOnly (or All) で記録してください (aws cloudtrail put-event-selectors で DataResources の Type"
                  + " AWS::S3::Object、Values arn:aws:s3)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-23")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::S3::Bucket")
          .cis("3.9")
          .fsbp("S3.23")
          .reads(MultiRegionTrails.class, Buckets.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var trails =
        view.get(MultiRegionTrails.class).trails().stream()
            .filter(MultiRegionTrails.Coverage::logging)
            .toList();
    var buckets = view.get(Buckets.class);
    var names = new TreeSet<String>(buckets.unreadable().keySet());
    buckets.buckets().forEach(b -> names.add(b.name()));
    for (var name : names) {
      var region =
          buckets.buckets().stream()
              .filter(b -> b.name().equals(name))
              .map(Buckets.Bucket::region)
              .findFirst()
              .orElse(Datasets.GLOBAL);
      var resource =
          new Resource(
              "AWS::S3::Bucket",
              name,
              "arn:" + view.partition() + ":s3:::" + name,
              view.accountId(),
              region,
              Map.of());
      var by = trails.stream().filter(t -> t.s3DataEvents().reads(name)).findFirst();
      if (by.isPresent()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(
                resource,
                "No logging multi-region trail records S3 object-level read events of " + name));
      }
    }
  }
}
