package dev.parapet.operator.aws.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.AwsSession;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.collect.EventQueue;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.ec2.NetworkAcls;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.inventory.iam.CredentialReport;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoEvents;
import dev.parapet.testing.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The poller on moto's SQS: coalescing, scope, poison messages, and a leader handover. */
class EventPollerMotoTest {
  static final String REGION = "eu-west-1";
  static MotoServer moto;
  static AwsClientFactory clients;
  static AwsSeed seed;
  static final CloudAccountRef ACCOUNT = new CloudAccountRef("ns", "acct", MotoServer.ACCOUNT_ID);

  record Call(String region, Set<Class<? extends Dataset>> datasets) {}

  @BeforeAll
  static void start() {
    moto = MotoServer.shared();
    moto.reset();
    clients = new AwsClientFactory(ClientSettings.defaults());
    seed = new AwsSeed(moto);
  }

  @AfterAll
  static void stop() {
    clients.close();
  }

  static SqsClient sqs() {
    return seed.client(SqsClient.builder(), REGION);
  }

  static AwsSession session() {
    return clients.open(moto.credentials(), moto.endpoint(), REGION);
  }

  static EventQueue queue(AwsSession session, String arn) {
    return EventQueue.open(session, EventQueue.locate(arn, moto.endpoint(), REGION));
  }

  static EventPoller poller(
      EventQueue queue,
      Duration coalesce,
      Set<String> regions,
      Reevaluator reevaluator,
      List<CloudTrailEventListener> listeners,
      PollerCallbacks callbacks) {
    return new EventPoller(
        ACCOUNT,
        queue,
        new EventPoller.Settings(1, coalesce, 1000, 1, Duration.ofMillis(200)),
        regions,
        "us-east-1",
        reevaluator,
        listeners,
        callbacks,
        Clock.systemUTC());
  }

  static void send(SqsClient sqs, String url, JsonNode record) {
    // As EventBridge delivers it (moto's envelope has no "account" key either).
    var envelope = MotoEvents.MAPPER.createObjectNode();
    envelope.put("version", "0");
    envelope.put("id", java.util.UUID.randomUUID().toString());
    envelope.put("detail-type", "AWS API Call via CloudTrail");
    envelope.put("source", "aws.ec2");
    envelope.put("region", record.path("awsRegion").asText());
    envelope.set("detail", record);
    sqs.sendMessage(b -> b.queueUrl(url).messageBody(envelope.toString()));
  }

  static String url(SqsClient sqs, String name) {
    return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
  }

  @Test
  void aBurstIsCoalescedPerRegionAndOutOfScopeRegionsAreSkipped() {
    String arn;
    String url;
    try (var sqs = sqs()) {
      arn = MotoEvents.queueWithDlq(sqs, "burst", 3);
      url = url(sqs, "burst");
      for (int i = 0; i < 25; i++) {
        send(
            sqs,
            url,
            MotoEvents.record(
                "ec2.amazonaws.com",
                "AuthorizeSecurityGroupIngress",
                REGION,
                Map.of("groupId", "sg-" + i)));
      }
      for (int i = 0; i < 5; i++) {
        send(
            sqs,
            url,
            MotoEvents.record(
                "ec2.amazonaws.com",
                "CreateNetworkAclEntry",
                REGION,
                Map.of("networkAclId", "acl-" + i)));
      }
      send(
          sqs,
          url,
          MotoEvents.record(
              "ec2.amazonaws.com",
              "AuthorizeSecurityGroupIngress",
              "ap-south-1",
              Map.of("groupId", "sg-x")));
      send(
          sqs,
          url,
          MotoEvents.record(
              "iam.amazonaws.com", "DeactivateMFADevice", "us-east-1", Map.of("userName", "bob")));
      send(
          sqs,
          url,
          MotoEvents.record("signin.amazonaws.com", "ConsoleLogin", "us-east-1", Map.of()));
    }
    var calls = new CopyOnWriteArrayList<Call>();
    var seen = new CopyOnWriteArrayList<String>();
    try (var session = session()) {
      var p =
          poller(
              queue(session, arn),
              Duration.ofSeconds(2),
              Set.of(REGION),
              (a, region, datasets, oldest, received) -> {
                calls.add(new Call(region, datasets));
                assertThat(oldest).isNotNull();
                return 2;
              },
              List.of((a, region, detail) -> seen.add(detail.get("eventName").asText())),
              PollerCallbacks.NONE);
      while (calls.size() < 2 || seen.size() < 33) {
        p.cycle();
      }
      assertThat(p.status().healthy()).isTrue();
    }
    // Every record reached the listener, mapped or not (ConsoleLogin) and in any region.
    assertThat(seen).hasSize(33).contains("ConsoleLogin");
    // One re-evaluation per region: the union of the datasets; ap-south-1 is not scanned.
    assertThat(calls)
        .containsExactlyInAnyOrder(
            new Call(REGION, Set.of(SecurityGroups.class, NetworkAcls.class)),
            new Call("us-east-1", Set.of(CredentialReport.class)));
    try (var sqs = sqs()) {
      assertThat(MotoEvents.visible(sqs, url)).isZero();
    }
  }

  /** The buckets each re-evaluation was narrowed to (empty: every bucket). */
  static List<Set<String>> bucketBursts(List<List<JsonNode>> bursts, String queueName)
      throws Exception {
    String arn;
    String url;
    try (var sqs = sqs()) {
      arn = MotoEvents.queueWithDlq(sqs, queueName, 3);
      url = url(sqs, queueName);
    }
    var narrowed = new CopyOnWriteArrayList<Set<String>>();
    try (var session = session()) {
      var reevaluator =
          new Reevaluator() {
            @Override
            public long reevaluate(
                CloudAccountRef a,
                String region,
                Set<Class<? extends Dataset>> datasets,
                java.time.Instant oldest,
                java.time.Instant received) {
              throw new AssertionError("the poller calls the narrowing form");
            }

            @Override
            public long reevaluate(
                CloudAccountRef a,
                String region,
                Set<Class<? extends Dataset>> datasets,
                Set<String> buckets,
                java.time.Instant oldest,
                java.time.Instant received) {
              narrowed.add(buckets);
              return 1;
            }
          };
      var p =
          poller(
              queue(session, arn),
              Duration.ofSeconds(2),
              Set.of(REGION),
              reevaluator,
              List.of(),
              PollerCallbacks.NONE);
      for (var burst : bursts) {
        var before = narrowed.size();
        try (var sqs = sqs()) {
          burst.forEach(r -> send(sqs, url, r));
        }
        while (narrowed.size() == before) {
          p.cycle();
        }
      }
    }
    return narrowed;
  }

  static JsonNode s3Event(String name, Map<String, Object> parameters) {
    return MotoEvents.record("s3.amazonaws.com", name, REGION, parameters);
  }

  @Test
  void perBucketS3EventsNarrowTheReEvaluationToTheirBuckets() throws Exception {
    var narrowed =
        bucketBursts(
            List.of(
                // Two per-bucket events: narrowed to both buckets, in one re-evaluation.
                List.of(
                    s3Event("PutBucketPolicy", Map.of("bucketName", "alpha")),
                    s3Event("PutBucketPublicAccessBlock", Map.of("bucketName", "bravo"))),
                // An account-level setting in the same burst: every bucket.
                List.of(
                    s3Event("PutBucketAcl", Map.of("bucketName", "alpha")),
                    s3Event("PutAccountPublicAccessBlock", Map.of())),
                // A bucket-list change: every bucket (other rules read the whole list).
                List.of(s3Event("DeleteBucket", Map.of("bucketName", "alpha"))),
                // A per-bucket event without its bucket name: every bucket.
                List.of(s3Event("PutBucketVersioning", Map.of()))),
            "buckets");
    assertThat(narrowed).containsExactly(Set.of("alpha", "bravo"), Set.of(), Set.of(), Set.of());
  }

  @Test
  void aPoisonMessageGoesToTheDeadLetterQueueAfterMaxReceiveCount() {
    String arn;
    String url;
    String dlq;
    try (var sqs = sqs()) {
      arn = MotoEvents.queueWithDlq(sqs, "poison", 2);
      url = url(sqs, "poison");
      dlq = url(sqs, "poison-dlq");
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("this is not json"));
    }
    var deadLettered = new CopyOnWriteArrayList<Integer>();
    var callbacks =
        new PollerCallbacks() {
          @Override
          public void status(CloudAccountRef account, PollerStatus status) {}

          @Override
          public void deadLettered(CloudAccountRef account, String id, int count, String why) {
            assertThat(why).contains("not a CloudTrail event");
            deadLettered.add(count);
          }
        };
    try (var session = session()) {
      var p =
          poller(
              queue(session, arn),
              Duration.ZERO,
              Set.of(),
              (a, r, d, o, x) -> {
                throw new AssertionError("a poison message is never re-evaluated");
              },
              List.of(),
              callbacks);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                p.cycle();
                try (var sqs = sqs()) {
                  return MotoEvents.visible(sqs, dlq) == 1;
                }
              });
    }
    assertThat(deadLettered).containsExactly(2);
  }

  /**
   * The leader loses the Lease in the middle of a burst: its poller stops without deleting, and the
   * next leader's poller receives every event once the visibility timeout (5 s) has passed.
   */
  @Test
  void aLeaderHandoverLosesNoEvent() {
    String arn;
    String url;
    var ids = new ArrayList<String>();
    try (var sqs = sqs()) {
      arn = MotoEvents.queueWithDlq(sqs, "handover", 5);
      url = url(sqs, "handover");
      for (int i = 0; i < 12; i++) {
        var r =
            MotoEvents.record(
                "ec2.amazonaws.com", "RunInstances", REGION, Map.of("instanceId", "i-" + i));
        ids.add(r.get("eventID").asText());
        send(sqs, url, r);
      }
    }
    try (var session = session()) {
      var holder = new EventPoller[1];
      var first =
          poller(
              queue(session, arn),
              Duration.ofSeconds(1),
              Set.of(),
              (a, r, d, o, x) -> {
                holder[0].stop(); // leadership lost while re-evaluating
                throw new IllegalStateException("lost the Lease");
              },
              List.of(),
              PollerCallbacks.NONE);
      holder[0] = first;
      first.cycle();
      assertThat(first.stopped()).isTrue();
    }
    var received = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());
    var reevaluations = new CopyOnWriteArrayList<Call>();
    try (var session = session()) {
      var next =
          poller(
              queue(session, arn),
              Duration.ofSeconds(1),
              Set.of(),
              (a, r, d, o, x) -> {
                reevaluations.add(new Call(r, d));
                return 1;
              },
              List.of((a, r, d) -> received.add(d.get("eventID").asText())),
              PollerCallbacks.NONE);
      await()
          .atMost(Duration.ofSeconds(40))
          .until(
              () -> {
                next.cycle();
                return received.size() == ids.size();
              });
    }
    assertThat(received).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(reevaluations).isNotEmpty();
    try (var sqs = sqs()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> MotoEvents.visible(sqs, url) == 0);
    }
  }

  @Test
  void aMissingQueueIsReportedAndRetried() {
    try (var session = session()) {
      var statuses = new CopyOnWriteArrayList<PollerStatus>();
      var p =
          poller(
              queue(
                  session,
                  "arn:aws:sqs:" + REGION + ":" + MotoServer.ACCOUNT_ID + ":no-such-queue"),
              Duration.ZERO,
              Set.of(),
              (a, r, d, o, x) -> 0,
              List.of(),
              new PollerCallbacks() {
                @Override
                public void status(CloudAccountRef account, PollerStatus status) {
                  statuses.add(status);
                }

                @Override
                public void deadLettered(CloudAccountRef a, String id, int c, String w) {}
              });
      assertThat(p.cycle()).isEqualTo(Duration.ofMillis(200));
      assertThat(p.status().healthy()).isFalse();
      assertThat(p.status().reason()).isEqualTo("QueueDoesNotExist");
      try (var sqs = sqs()) {
        sqs.createQueue(b -> b.queueName("no-such-queue"));
      }
      assertThat(p.cycle()).isEqualTo(Duration.ZERO);
      assertThat(p.status().reason()).isEqualTo("Polling");
      assertThat(statuses)
          .extracting(PollerStatus::reason)
          .containsExactly("QueueDoesNotExist", "Polling");
    }
  }
}
