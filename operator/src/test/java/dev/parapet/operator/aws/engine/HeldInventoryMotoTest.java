package dev.parapet.operator.aws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.CollectorRegistry;
import dev.parapet.operator.aws.events.EventMapping;
import dev.parapet.operator.aws.inventory.s3.BucketAcls;
import dev.parapet.operator.aws.inventory.s3.BucketPolicies;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;

/**
 * Targeted re-evaluations on moto (through a counting proxy) with the engine's held inventory: an
 * S3 bucket event re-reads only the changed setting of that bucket and takes everything else the
 * rule reads from the last scan; what is not usable there (nothing held, UNKNOWN, older than the
 * interval, a bucket found elsewhere than the held region) is collected or left UNKNOWN, never
 * judged from it.
 */
@ExtendWith(MotoExtension.class)
class HeldInventoryMotoTest {
  static final String REGION = "eu-central-1";
  static final String RULE = "aws-s3-bucket-public";
  static final Duration INTERVAL = Duration.ofHours(6);

  static MotoProxy proxy;
  static AwsSeed seed;
  static AwsClientFactory factory;

  TestClock clock;
  ScanEngine engine;
  ScanRequest request;
  String a;
  String b;

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    volatile Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeAll
  static void start(MotoServer moto) {
    proxy = new MotoProxy(moto);
    seed = new AwsSeed(moto);
    factory = new AwsClientFactory(MotoScans.testSettings());
  }

  @AfterAll
  static void stop() {
    factory.close();
    proxy.close();
  }

  @BeforeEach
  void twoPublicBuckets(org.junit.jupiter.api.TestInfo info) {
    var n = Integer.toHexString(info.getDisplayName().hashCode() & 0xfffffff);
    a = "parapet-held-a-" + n;
    b = "parapet-held-b-" + n;
    try (var s3 = seed.s3(REGION)) {
      for (var bucket : List.of(a, b)) {
        s3.createBucket(
            r ->
                r.bucket(bucket)
                    .createBucketConfiguration(
                        c -> c.locationConstraint(BucketLocationConstraint.EU_CENTRAL_1)));
        s3.putBucketPolicy(r -> r.bucket(bucket).policy(publicPolicy(bucket)));
      }
    }
    clock = new TestClock();
    engine = new ScanEngine(factory, RuleRegistry.defaults(), CollectorRegistry.defaults(), clock);
    request = MotoScans.request(proxy.endpoint(), List.of(REGION), CloudPolicy.only(RULE));
  }

  @AfterEach
  void dropBuckets() {
    try (var s3 = seed.s3(REGION)) {
      for (var bucket : List.of(a, b)) {
        try {
          s3.deleteBucketPolicy(r -> r.bucket(bucket));
          s3.deleteBucket(r -> r.bucket(bucket));
        } catch (RuntimeException e) {
          // already gone
        }
      }
    }
  }

  static String publicPolicy(String bucket) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
        + bucket
        + "/*\"}]}";
  }

  void keep() {
    engine
        .held()
        .keep(
            HeldInventories.Source.of(request),
            "ns/acct",
            INTERVAL,
            EventMapping.heldDatasets(engine.rules()));
  }

  ScanReport event(
      Class<? extends dev.parapet.operator.aws.inventory.Dataset> changed, String bucket) {
    return engine.reevaluate(request, REGION, Set.of(changed), Set.of(bucket));
  }

  static Map<String, Long> calls(ScanReport r) {
    return new TreeMap<>(r.apiCalls());
  }

  /** The calls of one bucket event with nothing held (today's behaviour, and after a restart). */
  static final Map<String, Long> ALL_READ =
      Map.of(
          "s3:GetBucketLocation", 1L,
          "s3:GetBucketPolicy", 1L,
          "s3:GetBucketAcl", 1L,
          "s3:GetPublicAccessBlock", 1L,
          "s3control:GetPublicAccessBlock", 1L,
          "s3:GetBucketTagging", 1L);

  @Test
  void aBucketEventReadsOnlyTheChangedSettingAfterAScan() {
    keep();
    var scan = engine.scan(request);
    assertThat(MotoScans.failedIds(scan, RULE)).contains(a, b);
    assertThat(engine.held().size(HeldInventories.Source.of(request))).isGreaterThanOrEqualTo(6);

    // DeleteBucketPolicy on A: one call (no policy now, so no GetBucketPolicyStatus).
    try (var s3 = seed.s3(REGION)) {
      s3.deleteBucketPolicy(r -> r.bucket(a));
    }
    var fixed = event(BucketPolicies.class, a);
    assertThat(calls(fixed)).isEqualTo(Map.of("s3:GetBucketPolicy", 1L));
    assertThat(MotoScans.passedIds(fixed, RULE)).containsExactly(a);
    assertThat(fixed.withStatus(ResultStatus.UNKNOWN)).isEmpty();

    // PutBucketAcl on A (AllUsers READ): judged with the policy the last event read (none), not the
    // scan's public one: the held value was updated by that event.
    try (var s3 = seed.s3(REGION)) {
      AwsSeed.grantAllUsersRead(s3, a);
    }
    var acl = event(BucketAcls.class, a);
    assertThat(calls(acl)).isEqualTo(Map.of("s3:GetBucketAcl", 1L));
    assertThat(MotoScans.failedIds(acl, RULE)).containsExactly(a);
    assertThat(acl.failures().get(0).evidence())
        .contains("ACL grants")
        .doesNotContain("bucket policy");

    // PutBucketPolicy on B: the policy and its status, nothing else.
    var policy = event(BucketPolicies.class, b);
    assertThat(calls(policy))
        .isEqualTo(Map.of("s3:GetBucketPolicy", 1L, "s3:GetBucketPolicyStatus", 1L));
    assertThat(MotoScans.failedIds(policy, RULE)).containsExactly(b);
  }

  @Test
  void withNothingHeldEveryDatasetIsReadAsBefore() {
    // No keep (an account without events, or right after a restart): nothing is held.
    engine.scan(request);
    assertThat(engine.held().size(HeldInventories.Source.of(request))).isZero();
    try (var s3 = seed.s3(REGION)) {
      s3.deleteBucketPolicy(r -> r.bucket(a));
    }
    var fixed = event(BucketPolicies.class, a);
    assertThat(calls(fixed)).isEqualTo(ALL_READ);
    assertThat(MotoScans.passedIds(fixed, RULE)).containsExactly(a);
  }

  @Test
  void aHeldInventoryOlderThanTheIntervalIsReadAfresh() {
    keep();
    engine.scan(request);
    clock.now = clock.now.plus(INTERVAL).plusSeconds(1);
    try (var s3 = seed.s3(REGION)) {
      s3.deleteBucketPolicy(r -> r.bucket(a));
    }
    var fixed = event(BucketPolicies.class, a);
    assertThat(calls(fixed)).isEqualTo(ALL_READ);
    assertThat(MotoScans.passedIds(fixed, RULE)).containsExactly(a);
    // That re-evaluation's reads are held now (younger than the interval): the next is cheap,
    // though the scan's bucket list stays too old to locate B, so B is located again.
    var next = event(BucketAcls.class, b);
    assertThat(calls(next))
        .isEqualTo(
            Map.of(
                "s3:GetBucketLocation",
                1L,
                "s3:GetBucketAcl",
                1L,
                "s3:GetBucketPolicy",
                1L,
                "s3:GetBucketPolicyStatus",
                1L,
                "s3:GetPublicAccessBlock",
                1L,
                "s3:GetBucketTagging",
                1L));
  }

  @Test
  void aDatasetHeldUnknownIsReadAfresh() {
    keep();
    var denied =
        proxy.answer(
            "s3",
            "?acl",
            403,
            "application/xml",
            "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
    try {
      var scan = engine.scan(request);
      assertThat(scan.withStatus(ResultStatus.UNKNOWN)).isNotEmpty();
    } finally {
      proxy.removeAnswer(denied);
    }
    try (var s3 = seed.s3(REGION)) {
      s3.deleteBucketPolicy(r -> r.bucket(a));
    }
    var fixed = event(BucketPolicies.class, a);
    assertThat(calls(fixed)).isEqualTo(Map.of("s3:GetBucketPolicy", 1L, "s3:GetBucketAcl", 1L));
    assertThat(MotoScans.passedIds(fixed, RULE)).containsExactly(a);
  }

  @Test
  void aBucketNotInTheHeldRegionEndsUnknownAndIsLocatedNextTime() {
    keep();
    engine.scan(request);
    // The bucket answers from another region than the held list says (it was re-created
    // elsewhere): S3 answers 301 PermanentRedirect, which moto never does, so the proxy does.
    var redirect =
        proxy.answer(
            "s3",
            "?policy",
            301,
            "application/xml",
            "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access"
                + " must be addressed using the specified endpoint.</Message></Error>");
    ScanReport moved;
    try {
      moved = event(BucketPolicies.class, a);
    } finally {
      proxy.removeAnswer(redirect);
    }
    assertThat(MotoScans.passedIds(moved, RULE)).doesNotContain(a);
    assertThat(MotoScans.failedIds(moved, RULE)).doesNotContain(a);
    assertThat(moved.withStatus(ResultStatus.UNKNOWN)).isNotEmpty();
    // The stale region is forgotten: the retry locates the bucket, then judges it.
    var retry = event(BucketPolicies.class, a);
    assertThat(calls(retry)).containsEntry("s3:GetBucketLocation", 1L);
    assertThat(MotoScans.failedIds(retry, RULE)).containsExactly(a);
  }

  @Test
  void aBucketDeletedSinceTheScanLeavesAndItsResultsGo() {
    keep();
    engine.scan(request);
    try (var s3 = seed.s3(REGION)) {
      s3.deleteBucketPolicy(r -> r.bucket(b));
      s3.deleteBucket(r -> r.bucket(b));
    }
    var gone = event(BucketAcls.class, b);
    assertThat(calls(gone)).isEqualTo(Map.of("s3:GetBucketAcl", 1L));
    assertThat(gone.results()).isEmpty();
  }
}
