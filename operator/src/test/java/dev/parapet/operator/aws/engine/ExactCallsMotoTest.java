package dev.parapet.operator.aws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.testing.Ec2Scenario;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On a seeded account with known resource counts, the scan makes exactly the expected API calls:
 * one identity call, then one call per dataset per region (two for snapshots: owned, then the
 * candidates for public, plus one DescribeSnapshotAttribute per candidate, which confirms it: the
 * fixture makes one snapshot per region public), whatever the number of resources. A per-resource
 * (N+1) call anywhere fails this test. Outside EC2 the per-resource calls that exist are inherent
 * (no AWS API reads them for several resources) and counted exactly, tag reads included.
 */
@ExtendWith(MotoExtension.class)
class ExactCallsMotoTest {
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
  private static MotoProxy proxy;

  @BeforeAll
  static void seed(MotoServer moto) {
    proxy = new MotoProxy(moto);
    // Twice the SMALL counts in one region: the number of calls must not change with it.
    Ec2Scenario.seed(
        proxy.endpoint(), List.of("us-east-1"), new Ec2Scenario.Counts(4, 4, 2, 4, 4, 2));
    Ec2Scenario.seed(proxy.endpoint(), List.of("eu-west-1"), Ec2Scenario.SMALL);
    TagFixture.seed(moto.endpoint());
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  static Map<String, Long> expectedPerRegion() {
    var calls = new TreeMap<String, Long>();
    for (var op :
        List.of(
            "DescribeSecurityGroups",
            "DescribeNetworkInterfaces",
            "DescribeInstances",
            "GetEbsEncryptionByDefault",
            "DescribeVolumes",
            "GetSnapshotBlockPublicAccessState",
            "DescribeImages",
            "DescribeVpcs",
            "DescribeFlowLogs",
            "DescribeNetworkAcls")) {
      calls.put("ec2:" + op, 1L);
    }
    calls.put("ec2:DescribeSnapshots", 2L);
    calls.put("ec2:DescribeSnapshotAttribute", 1L);
    return calls;
  }

  @Test
  void allEc2RulesOnTwoRegionsMakeExactlyTheMinimalCalls() {
    var ec2Rules =
        RuleRegistry.defaults().rules().stream()
            .map(r -> r.id())
            .filter(id -> id.startsWith("aws-ec2-") || id.startsWith("aws-vpc-"))
            .toArray(String[]::new);
    var report =
        MotoScans.scan(
            proxy.endpoint(), REGIONS, CloudPolicy.only(ec2Rules), MotoScans.testSettings());

    var expected = new TreeMap<String, Long>();
    expected.put("sts:GetCallerIdentity", 1L);
    expectedPerRegion().forEach((op, n) -> expected.put(op, n * REGIONS.size()));
    assertThat(report.apiCalls()).isEqualTo(expected);
    assertThat(report.apiCallCount()).isEqualTo(1 + 13 * REGIONS.size());
    assertThat(report.apiAttempts()).isEqualTo(report.apiCallCount());
    assertThat(report.errors()).isEmpty();
    assertThat(report.resourcesScanned()).isGreaterThan(20);
  }

  /**
   * Scans of the same account share one factory's cached SDK clients; each still counts exactly its
   * own calls, however they interleave (a counter attached to the shared client would count every
   * scan's calls in every report).
   */
  @Test
  void concurrentScansSharingClientsCountTheirOwnCallsExactly() throws Exception {
    var policy = CloudPolicy.only(ec2RuleIds());
    var scopes = List.of(REGIONS, List.of("us-east-1"), REGIONS, List.of("us-east-1"));
    var pool = Executors.newFixedThreadPool(scopes.size());
    proxy.latency(10);
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var engine = new ScanEngine(factory);
      var start = new CountDownLatch(1);
      var futures = new ArrayList<Future<ScanReport>>();
      for (var regions : scopes) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return MotoScans.scan(engine, proxy.endpoint(), regions, policy);
                }));
      }
      start.countDown();
      for (int i = 0; i < scopes.size(); i++) {
        var regions = scopes.get(i);
        var report = futures.get(i).get(2, TimeUnit.MINUTES);
        var expected = new TreeMap<String, Long>();
        expected.put("sts:GetCallerIdentity", 1L);
        expectedPerRegion().forEach((op, n) -> expected.put(op, n * regions.size()));
        assertThat(report.apiCalls()).as("scan of %s", regions).isEqualTo(expected);
        assertThat(report.apiAttempts()).isEqualTo(report.apiCallCount());
        assertThat(report.errors()).isEmpty();
      }
      // One credential source, endpoint and home region (the first region), so every scan used
      // the same clients.
      assertThat(factory.cachedSources()).isEqualTo(1);
      assertThat(factory.unattributedCalls()).isZero();
    } finally {
      proxy.latency(0);
      pool.shutdownNow();
    }
  }

  private static String[] ec2RuleIds() {
    return RuleRegistry.defaults().rules().stream()
        .map(r -> r.id())
        .filter(id -> id.startsWith("aws-ec2-") || id.startsWith("aws-vpc-"))
        .toArray(String[]::new);
  }

  @Test
  void everyCallIsCoveredByTheGeneratedLeastPrivilegePolicy() {
    var report =
        MotoScans.scan(proxy.endpoint(), REGIONS, CloudPolicy.defaults(), MotoScans.testSettings());
    var allowed = IamPolicyGenerator.actions(RuleRegistry.defaults().rules());
    assertThat(report.apiCalls().keySet())
        .allSatisfy(call -> assertThat(allowed).contains(IamPolicyGenerator.iamAction(call)));
  }

  @Test
  void onlyTheDatasetsOfEnabledRulesAreCollected() {
    var report =
        MotoScans.scan(
            proxy.endpoint(),
            REGIONS,
            CloudPolicy.only("aws-ec2-ebs-volume-unencrypted", "aws-vpc-flow-logs-off"),
            MotoScans.testSettings());
    assertThat(report.apiCalls())
        .isEqualTo(
            Map.of(
                "sts:GetCallerIdentity", 1L,
                "ec2:DescribeVolumes", 2L,
                "ec2:DescribeVpcs", 2L,
                "ec2:DescribeFlowLogs", 2L));
    assertThat(report.requiredIamActions())
        .containsExactly(
            "ec2:DescribeFlowLogs",
            "ec2:DescribeRegions",
            "ec2:DescribeVolumes",
            "ec2:DescribeVpcs",
            "sts:GetCallerIdentity");
  }

  /**
   * The tag-carrying rules outside EC2 on {@link TagFixture} (us-east-1: 3 buckets, 2 users, 2
   * customer-managed keys, 2 trails) plus what moto adds: the EC2 scenario's encrypted volumes make
   * moto create its {@code alias/aws/ebs} default key in each region, reported as customer-managed
   * (on AWS it is AWS-managed and skipped): 3 keys in us-east-1, 1 in eu-west-1. Each tag read is
   * marked.
   */
  @Test
  void tagReadsAddOneCallPerBucketAndKeyOneBatchPerTrailsRegionAndNoIamCallPerUser() {
    var report =
        MotoScans.scan(
            proxy.endpoint(),
            REGIONS,
            CloudPolicy.only(
                TagFixture.BUCKETS, TagFixture.USERS, TagFixture.KEYS, TagFixture.TRAILS),
            MotoScans.testSettings());
    var expected = new TreeMap<String, Long>();
    expected.put("sts:GetCallerIdentity", 1L);
    // S3, once per account: the bucket list, one GetBucketLocation per bucket (moto 5.2.5's
    // ListBuckets omits BucketRegion; AWS returns it, making these 0), then one read per bucket
    // and setting: versioning (verdict) and tagging (tags only: no S3 call returns several
    // buckets' tags).
    expected.put("s3:ListBuckets", 1L);
    expected.put("s3:GetBucketLocation", 3L);
    expected.put("s3:GetBucketVersioning", 3L);
    expected.put("s3:GetBucketTagging", 3L); // tags
    // IAM, once per account: moto has no report yet, so Get (absent), Generate, Get; the user
    // tags come from one GetAccountAuthorizationDetails page (tags), never ListUserTags per user.
    expected.put("iam:GetCredentialReport", 2L);
    expected.put("iam:GenerateCredentialReport", 1L);
    expected.put("iam:GetAccountAuthorizationDetails", 1L); // tags
    // KMS, per region: ListKeys (shared by the verdict and the tags datasets), then per key
    // (3 + 1): DescribeKey, GetKeyRotationStatus, and ListResourceTags (tags; no KMS call reads
    // several keys' tags).
    expected.put("kms:ListKeys", 2L);
    expected.put("kms:DescribeKey", 4L);
    expected.put("kms:GetKeyRotationStatus", 4L);
    expected.put("kms:ListResourceTags", 4L); // tags
    // CloudTrail, per region: DescribeTrails (shared), then one ListTags for up to 20 trails
    // (tags) in us-east-1 only: eu-west-1 homes no trail, so it makes no tag call.
    expected.put("cloudtrail:DescribeTrails", 2L);
    expected.put("cloudtrail:ListTags", 1L); // tags
    assertThat(report.apiCalls()).isEqualTo(expected);
    assertThat(report.errors()).isEmpty();
  }
}
