package dev.parapet.operator.cloudaccount;

import static dev.parapet.testing.OperatorMoto.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.Crds;
import dev.parapet.testing.MotoEvents;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoServer;
import dev.parapet.testing.OperatorMoto;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An S3 event re-collects only the event's bucket and changes only that bucket's Findings: two
 * public buckets, one fixed, its event resolves its Finding while the other bucket's stay OPEN (and
 * no call touches the other bucket); an event on a bucket deleted since resolves its Findings.
 * After a full scan the common bucket events cost at most three calls (only the changed setting is
 * read; the rest comes from the held inventory); with nothing held (a restart) the old count. Moto
 * through a WireMock proxy that counts the calls; the Fabric8 CRUD mock API server.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class S3EventsMotoTest {

  static final String NS = "s3events";
  static final String REGION = "eu-central-1";
  static final String PUBLIC = "aws-s3-bucket-public";
  static final String A = "parapet-s3ev-alpha";
  static final String B = "parapet-s3ev-bravo";
  static final Duration WAIT = Duration.ofSeconds(60);

  static MotoServer moto;
  static WireMockServer proxy;
  static AwsSeed seed;
  static MotoEvents bus;
  static String queueArn;

  @Inject KubernetesClient client;
  @Inject ScanEngine engine;

  @BeforeAll
  static void seed() throws Exception {
    moto = MotoServer.shared();
    moto.reset();
    proxy = MotoProxy.recording(moto);
    seed = new AwsSeed(moto);
    try (var s3 = seed.s3(REGION)) {
      for (var bucket : List.of(A, B)) {
        s3.createBucket(
            b ->
                b.bucket(bucket)
                    .createBucketConfiguration(
                        c -> c.locationConstraint(BucketLocationConstraint.EU_CENTRAL_1)));
        s3.putBucketPolicy(b -> b.bucket(bucket).policy(publicPolicy(bucket)));
      }
    }
    try (var sqs = seed.client(SqsClient.builder(), REGION)) {
      queueArn = MotoEvents.queueWithDlq(sqs, "parapet-s3-events", 3);
    }
    bus = new MotoEvents(moto.endpoint(), REGION);
    bus.ruleToQueue("parapet-s3-cloudtrail", List.of("aws.s3"), queueArn);
  }

  static String publicPolicy(String bucket) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
        + bucket
        + "/*\"}]}";
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.stop();
    }
  }

  /** The AWS calls that reached the proxy after {@code from}, the queue's own (SQS) excluded. */
  static List<ServeEvent> awsCalls(java.util.Set<java.util.UUID> before) {
    return proxy.getAllServeEvents().stream()
        .filter(e -> !before.contains(e.getId()))
        .filter(
            e -> !String.valueOf(e.getRequest().getHeader("X-Amz-Target")).startsWith("AmazonSQS."))
        .filter(e -> !e.getRequest().getBodyAsString().contains("QueueUrl"))
        .toList();
  }

  static java.util.Set<java.util.UUID> seen() {
    return proxy.getAllServeEvents().stream().map(ServeEvent::getId).collect(Collectors.toSet());
  }

  /**
   * Puts one S3 event on the bus for {@code bucket}, waits until {@code rule}'s Finding of it is in
   * {@code state}, and returns the AWS calls made meanwhile (method and URL).
   */
  List<String> event(String name, String bucket, String rule, FindingStatus.State state)
      throws Exception {
    var before = seen();
    bus.put(
        List.of(MotoEvents.record("s3.amazonaws.com", name, REGION, Map.of("bucketName", bucket))));
    await().atMost(WAIT).until(() -> findingsOf(bucket).get(rule) == state);
    var described =
        awsCalls(before).stream()
            .map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl())
            .toList();
    System.out.println("[s3events] calls of one " + name + " event: " + described);
    assertThat(described.size()).as("AWS calls of " + name).isLessThanOrEqualTo(7);
    return described;
  }

  /** A policy granting only this account: not public. */
  static String privatePolicy(String bucket) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
        + "{\"AWS\":\"arn:aws:iam::"
        + MotoServer.ACCOUNT_ID
        + ":root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
        + bucket
        + "/*\"}]}";
  }

  CloudAccount account() {
    return client.resources(CloudAccount.class).inNamespace(NS).withName("moto").get();
  }

  /** State of every AWS Finding of {@code bucket}, by rule id. */
  Map<String, FindingStatus.State> findingsOf(String bucket) {
    var out = new TreeMap<String, FindingStatus.State>();
    for (var f : client.resources(Finding.class).inNamespace(NS).list().getItems()) {
      var spec = f.getSpec();
      if (spec != null
          && spec.resource() != null
          && bucket.equals(spec.resource().id())
          && spec.rule() != null) {
        out.put(spec.rule().id(), f.getStatus() == null ? null : f.getStatus().state());
      }
    }
    return out;
  }

  @Test
  void anS3EventReCollectsOnlyItsBucketAndTouchesOnlyItsFindings() throws Exception {
    Crds.apply(client);
    var credentials = OperatorMoto.keys(client, NS);
    OperatorMoto.policy(
        client,
        "s3-events-baseline",
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                OperatorMoto.selecting("s3events"),
                List.of(PosturePolicySpec.Framework.AWS_FSBP),
                new RuleSelection(List.of(PUBLIC), null),
                null,
                null),
            null,
            null));
    var a =
        OperatorMoto.account(
            client,
            NS,
            "moto",
            "s3events",
            new CloudAccountSpec(
                CloudAccountSpec.Provider.AWS,
                MotoServer.ACCOUNT_ID,
                List.of(REGION),
                credentials,
                new CloudAccountSpec.Scan(
                    "6h", null, new CloudAccountSpec.Services(List.of("s3"), null)),
                proxy.baseUrl(),
                null,
                null,
                new CloudAccountSpec.Events(queueArn, 0, null)));

    // The full scan: both buckets are public.
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var c = condition(account(), AccountEventPollers.CONDITION);
              return account().getStatus() != null
                  && account().getStatus().lastScan() != null
                  && c != null
                  && Condition.TRUE.equals(c.status());
            });
    await()
        .atMost(WAIT)
        .until(
            () ->
                findingsOf(A).get(PUBLIC) == FindingStatus.State.OPEN
                    && findingsOf(B).get(PUBLIC) == FindingStatus.State.OPEN);
    var lastScan = account().getStatus().lastScan().startedAt();
    var bBefore = findingsOf(B);
    assertThat(bBefore).containsEntry(PUBLIC, FindingStatus.State.OPEN);
    var aBefore = findingsOf(A);

    // 1. A is fixed; its event resolves A's Finding only, reading A's policy alone: the rule's
    // other datasets (A's ACL and Block Public Access, the account's, the tags) and A's region
    // come from the full scan's inventory, held for this account because it has spec.events.
    try (var s3 = seed.s3(REGION)) {
      s3.deleteBucketPolicy(b -> b.bucket(A));
    }
    var described = event("DeleteBucketPolicy", A, PUBLIC, FindingStatus.State.RESOLVED);
    assertThat(described).as("no call reads bucket B").noneMatch(c -> c.contains(B));
    assertThat(described)
        .as("no ListBuckets walk (GET / on S3)")
        .noneMatch(c -> c.equals("GET /") || c.startsWith("GET /?"));
    // No policy now, so no GetBucketPolicyStatus.
    assertThat(described).as("AWS calls of one S3 event").containsExactly("GET /" + A + "?policy");
    assertThat(account().getStatus().lastScan().startedAt())
        .as("no full scan ran")
        .isEqualTo(lastScan);
    assertThat(findingsOf(B)).as("bucket B's Findings untouched").isEqualTo(bBefore);
    var aAfter = findingsOf(A);
    aBefore.forEach(
        (rule, state) -> {
          if (!rule.equals(PUBLIC)) {
            assertThat(aAfter.get(rule)).as(rule).isNotNull();
          }
        });

    // The common S3 events cost at most 3 calls after a full scan, each reading only what it
    // changed, and each judged with what the previous ones read (not the scan's older values).
    try (var s3 = seed.s3(REGION)) {
      AwsSeed.grantAllUsersRead(s3, A);
    }
    assertThat(event("PutBucketAcl", A, PUBLIC, FindingStatus.State.OPEN))
        .containsExactly("GET /" + A + "?acl");
    try (var s3 = seed.s3(REGION)) {
      s3.putPublicAccessBlock(
          b ->
              b.bucket(A)
                  .publicAccessBlockConfiguration(
                      c ->
                          c.blockPublicAcls(true)
                              .ignorePublicAcls(true)
                              .blockPublicPolicy(true)
                              .restrictPublicBuckets(true)));
    }
    assertThat(event("PutPublicAccessBlock", A, PUBLIC, FindingStatus.State.RESOLVED))
        .containsExactly("GET /" + A + "?publicAccessBlock");
    try (var s3 = seed.s3(REGION)) {
      s3.putBucketPolicy(b -> b.bucket(B).policy(privatePolicy(B)));
    }
    assertThat(event("PutBucketPolicy", B, PUBLIC, FindingStatus.State.RESOLVED))
        .containsExactlyInAnyOrder("GET /" + B + "?policy", "GET /" + B + "?policyStatus");
    assertThat(account().getStatus().lastScan().startedAt()).isEqualTo(lastScan);

    // After a restart nothing is held (the engine held nothing yet): the event reads everything
    // the rule needs, as before, and is judged the same.
    engine.held().releaseAll();
    try (var s3 = seed.s3(REGION)) {
      s3.putBucketPolicy(b -> b.bucket(B).policy(publicPolicy(B)));
    }
    assertThat(event("PutBucketPolicy", B, PUBLIC, FindingStatus.State.OPEN))
        .containsExactlyInAnyOrder(
            "GET /" + B + "?location",
            "GET /" + B + "?policy",
            "GET /" + B + "?policyStatus",
            "GET /" + B + "?acl",
            "GET /" + B + "?publicAccessBlock",
            "GET /v20180820/configuration/publicAccessBlock",
            "GET /" + B + "?tagging");
    assertThat(findingsOf(A).get(PUBLIC)).isEqualTo(FindingStatus.State.RESOLVED);

    // 2. B is deleted, then an event on it arrives: NoSuchBucket, so the Findings of the rules
    // that event re-runs (BucketAcls: the public-bucket rule) resolve, and A's stay as they are.
    // (B's Findings of rules reading no ACL wait for DeleteBucket's event or the next scan.)
    try (var s3 = seed.s3(REGION)) {
      s3.deleteBucketPolicy(b -> b.bucket(B));
      s3.deleteBucket(b -> b.bucket(B));
    }
    var aNow = findingsOf(A);
    bus.put(
        List.of(
            MotoEvents.record(
                "s3.amazonaws.com", "PutBucketAcl", REGION, Map.of("bucketName", B))));
    await().atMost(WAIT).until(() -> findingsOf(B).get(PUBLIC) == FindingStatus.State.RESOLVED);
    assertThat(findingsOf(A)).isEqualTo(aNow);
    assertThat(account().getStatus().lastScan().startedAt()).isEqualTo(lastScan);
  }
}
