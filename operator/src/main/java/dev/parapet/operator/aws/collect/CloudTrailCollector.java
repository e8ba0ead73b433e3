package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.cloudtrail.MultiRegionTrails;
import dev.parapet.operator.aws.inventory.cloudtrail.TrailTags;
import dev.parapet.operator.aws.inventory.cloudtrail.Trails;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;

/**
 * CloudTrail collectors: the trails homed in each region (one DescribeTrails per region), and once
 * per account the multi-region trails with their status and event selectors (two calls per
 * multi-region trail, made in its home region). Tags: ListTags on the trails homed in a region, up
 * to {@value #TAG_BATCH} ARNs per call, on the same trail list (read once per region and shared).
 */
public final class CloudTrailCollector {
  /** The most trail ARNs ListTags accepts in one call. */
  static final int TAG_BATCH = 20;

  private CloudTrailCollector() {}

  public static List<Collector<?>> all() {
    return List.of(
        Collector.of(Trails.class, CloudTrailCollector::trails),
        Collector.of(MultiRegionTrails.class, CloudTrailCollector::multiRegionTrails),
        Collector.of(TrailTags.class, CloudTrailCollector::trailTags));
  }

  static Trails trails(CollectContext ctx) {
    return ctx.session().shared("cloudtrail:trails:" + ctx.region(), () -> readTrails(ctx));
  }

  /**
   * The tags of the region's trails: one ListTags per {@value #TAG_BATCH} trails (paginated). A
   * failed call leaves the tags of its batch unknown; the other batches stand.
   */
  static TrailTags trailTags(CollectContext ctx) {
    Trails trails;
    try {
      trails = trails(ctx);
    } catch (RuntimeException e) {
      // The trail list itself failed: the rule is UNKNOWN there and Trails reports the cause.
      return new TrailTags(Map.of());
    }
    var arns = trails.trails().stream().map(Trails.Trail::arn).filter(a -> a != null).toList();
    var client = ctx.session().client(CloudTrailClient.class, ctx.region());
    var out = new HashMap<String, Fact<Map<String, String>>>();
    for (int i = 0; i < arns.size(); i += TAG_BATCH) {
      var batch = arns.subList(i, Math.min(arns.size(), i + TAG_BATCH));
      try {
        var tags = new HashMap<String, Map<String, String>>();
        batch.forEach(a -> tags.put(a, new HashMap<>()));
        client
            .listTagsPaginator(b -> b.resourceIdList(batch))
            .resourceTagList()
            .forEach(
                r ->
                    r.tagsList()
                        .forEach(
                            t ->
                                tags.computeIfAbsent(r.resourceId(), k -> new HashMap<>())
                                    .put(t.key(), t.value())));
        batch.forEach(a -> out.put(a, Fact.known(tags.get(a))));
      } catch (RuntimeException e) {
        var error = Failures.classify(e, "cloudtrail", ctx.region(), "ListTags");
        batch.forEach(a -> out.put(a, Fact.unknown(error)));
      }
    }
    return new TrailTags(out);
  }

  private static Trails readTrails(CollectContext ctx) {
    var trails =
        ctx
            .session()
            .client(CloudTrailClient.class, ctx.region())
            .describeTrails(b -> b.includeShadowTrails(false))
            .trailList()
            .stream()
            .map(
                t ->
                    new Trails.Trail(
                        t.name(),
                        t.trailARN(),
                        t.homeRegion() == null ? ctx.region() : t.homeRegion(),
                        Boolean.TRUE.equals(t.isMultiRegionTrail()),
                        Boolean.TRUE.equals(t.isOrganizationTrail()),
                        Boolean.TRUE.equals(t.logFileValidationEnabled()),
                        t.kmsKeyId(),
                        t.s3BucketName()))
            .filter(t -> Trails.homedHere(t, ctx.region(), ctx.accountId()))
            .toList();
    return new Trails(trails);
  }

  /** Shared per scan: the CloudWatch monitoring dataset follows the same trails. */
  static MultiRegionTrails multiRegionTrails(CollectContext ctx) {
    return ctx.session().shared("cloudtrail:multi-region", () -> readMultiRegionTrails(ctx));
  }

  private static MultiRegionTrails readMultiRegionTrails(CollectContext ctx) {
    var home = ctx.session().homeRegion();
    var out = new ArrayList<MultiRegionTrails.Coverage>();
    var trails = allTrails(ctx);
    for (var t : trails) {
      if (!Boolean.TRUE.equals(t.isMultiRegionTrail())) {
        continue;
      }
      var region = t.homeRegion() == null ? home : t.homeRegion();
      var client = ctx.session().client(CloudTrailClient.class, region);
      var logging =
          Boolean.TRUE.equals(client.getTrailStatus(b -> b.name(t.trailARN())).isLogging());
      var selectors = client.getEventSelectors(b -> b.trailName(t.trailARN()));
      var rw = managementEvents(selectors);
      out.add(
          new MultiRegionTrails.Coverage(
              t.name(),
              t.trailARN(),
              region,
              logging,
              rw[0],
              rw[1],
              S3DataEventSelectors.of(selectors),
              t.cloudWatchLogsLogGroupArn()));
    }
    return new MultiRegionTrails(out);
  }

  /**
   * Every trail visible from the home region, shadow trails included (a multi-region trail shows in
   * every region): one DescribeTrails per scan, shared by the collectors that need it.
   */
  static List<software.amazon.awssdk.services.cloudtrail.model.Trail> allTrails(
      CollectContext ctx) {
    var home = ctx.session().homeRegion();
    return ctx.session()
        .shared(
            "cloudtrail:all-trails",
            () ->
                ctx.session()
                    .client(CloudTrailClient.class, home)
                    .describeTrails(b -> b.includeShadowTrails(true))
                    .trailList());
  }

  /**
   * Which management events the selectors record, as {read, write}. Classic selectors: {@code
   * IncludeManagementEvents} with ReadWriteType All / ReadOnly / WriteOnly. Advanced selectors: a
   * selector with {@code eventCategory = Management}, and {@code readOnly} absent (both), {@code
   * true} (reads) or {@code false} (writes). A trail without selectors logs all management events.
   */
  static boolean[] managementEvents(GetEventSelectorsResponse response) {
    var read = false;
    var write = false;
    var classic = response.eventSelectors();
    var advanced = response.advancedEventSelectors();
    if (classic.isEmpty() && advanced.isEmpty()) {
      return new boolean[] {true, true};
    }
    for (EventSelector s : classic) {
      if (!Boolean.FALSE.equals(s.includeManagementEvents())) {
        var type = s.readWriteTypeAsString() == null ? "All" : s.readWriteTypeAsString();
        read |= type.equals("All") || type.equals("ReadOnly");
        write |= type.equals("All") || type.equals("WriteOnly");
      }
    }
    for (AdvancedEventSelector s : advanced) {
      if (!matchesEquals(s.fieldSelectors(), "eventCategory", "Management")) {
        continue;
      }
      var readOnly = field(s.fieldSelectors(), "readOnly");
      if (readOnly == null) {
        read = true;
        write = true;
      } else {
        read |= readOnly.equalsValue().contains("true") || readOnly.notEquals().contains("false");
        write |= readOnly.equalsValue().contains("false") || readOnly.notEquals().contains("true");
      }
    }
    return new boolean[] {read, write};
  }

  private static boolean matchesEquals(
      List<AdvancedFieldSelector> fields, String name, String value) {
    var f = field(fields, name);
    return f != null && f.equalsValue().contains(value);
  }

  private static AdvancedFieldSelector field(List<AdvancedFieldSelector> fields, String name) {
    return fields.stream().filter(f -> name.equals(f.field())).findFirst().orElse(null);
  }
}
