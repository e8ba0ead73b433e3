package dev.parapet.operator.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.collect.EventQueue;
import dev.parapet.operator.aws.events.CloudAccountRef;
import dev.parapet.operator.aws.events.EventPoller;
import dev.parapet.operator.aws.events.HandedOver;
import dev.parapet.operator.aws.events.PollerCallbacks;
import dev.parapet.operator.aws.events.Reevaluator;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.config.Leadership;
import dev.parapet.operator.findings.DesiredFinding;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.findings.FindingWriterRestartTest;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.CrudApiServer;
import dev.parapet.testing.MotoEvents;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Issue 16 item 4 with sharding (issue 19): the event poller's writes go through the same fence as
 * the scans' ({@link FindingWriter} asks {@link LeaseWriteFence}). A re-evaluation whose shard
 * Lease moved while it collected writes nothing, and its message is neither deleted nor retried: it
 * is left in flight and comes back after the visibility timeout for the shard's next holder, which
 * handles it. Real {@link Shards} on Fabric8's CRUD mock server (the Leases), a real {@link
 * EventPoller} on moto's SQS, the real writer; the reevaluator stands in for the engine and maps
 * {@link WriteFence.Fenced} to {@link HandedOver} as {@code AccountEventPollers} does.
 */
class FencedEventWritesTest {

  private static final String NS = "parapet-system";
  private static final String REGION = "eu-west-1";
  private static final CloudAccountRef ACCOUNT =
      new CloudAccountRef("team-a", "acct", MotoServer.ACCOUNT_ID);
  private static final String SCOPE = FindingStore.accountScope("team-a", "acct");

  CrudApiServer api;
  KubernetesClient client;
  FindingStore store;
  Shards shards;
  MotoServer moto;
  AwsClientFactory clients;

  @BeforeEach
  void start() {
    api = CrudApiServer.start();
    client = api.client();
    store = api.store();
    shards = new Shards(client, ShardsTest.config("replica-a", 2), new Leadership());
    moto = MotoServer.shared();
    clients = new AwsClientFactory(ClientSettings.defaults());
  }

  @AfterEach
  void stop() {
    shards.stop();
    clients.close();
    api.close();
  }

  /** What AccountEventPollers does with the writer: sync, and a fenced sync hands over. */
  private static Reevaluator writing(
      FindingWriter writer, List<List<DesiredFinding>> desiredPerCall, Runnable beforeWrite) {
    var calls = new AtomicInteger();
    return (a, region, datasets, oldest, received) -> {
      var desired =
          desiredPerCall.get(Math.min(calls.getAndIncrement(), desiredPerCall.size() - 1));
      beforeWrite.run();
      try {
        writer.sync(SCOPE, desired, f -> false, 100);
      } catch (WriteFence.Fenced e) {
        throw new HandedOver(e.getMessage(), e);
      }
      return 1;
    };
  }

  private EventPoller poller(EventQueue queue, Reevaluator reevaluator) {
    return new EventPoller(
        ACCOUNT,
        queue,
        new EventPoller.Settings(1, Duration.ZERO, 1000, 1, Duration.ofSeconds(7)),
        Set.of(REGION),
        "us-east-1",
        reevaluator,
        List.of(),
        PollerCallbacks.NONE,
        Clock.systemUTC());
  }

  private static void send(SqsClient sqs, String url, String eventName) {
    var envelope = MotoEvents.MAPPER.createObjectNode();
    envelope.put("detail-type", "AWS API Call via CloudTrail");
    envelope.put("region", REGION);
    envelope.set(
        "detail",
        MotoEvents.record("ec2.amazonaws.com", eventName, REGION, Map.of("groupId", "sg-0")));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody(envelope.toString()));
  }

  private Finding finding(String name) {
    return client.resources(Finding.class).inNamespace("team-a").withName(name).get();
  }

  @Test
  void aReevaluationWhoseShardMovedWritesNothingAndLeavesItsMessageForTheNextHolder() {
    shards.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> shards.held().equals(Set.of(0, 1)));
    var shard = shards.shardOf("team-a", "acct");
    var fence = new LeaseWriteFence(shards, new Leadership(), () -> true);
    var writer =
        new FindingWriter(client, store, new FindingWriter.Options(Duration.ofDays(7), fence));
    var open = FindingWriterRestartTest.desired(1);
    var name = open.get(0).name();
    var steal = new AtomicBoolean();
    var seed = new AwsSeed(moto);
    try (var sqs = seed.client(SqsClient.builder(), REGION);
        var session = clients.open(moto.credentials(), moto.endpoint(), REGION)) {
      var arn = MotoEvents.queueWithDlq(sqs, "fenced-events", 3);
      var url = sqs.getQueueUrl(b -> b.queueName("fenced-events")).queueUrl();
      var dlq = sqs.getQueueUrl(b -> b.queueName("fenced-events-dlq")).queueUrl();
      var queue = EventQueue.open(session, EventQueue.locate(arn, moto.endpoint(), REGION));
      var holder =
          poller(
              queue,
              writing(
                  writer,
                  List.of(open, List.of()),
                  () -> {
                    if (steal.get()) {
                      // Another replica took the shard while this burst was collected (this
                      // replica's elector has not noticed yet): the Lease names it, unexpired.
                      var lease =
                          client.leases().inNamespace(NS).withName(shards.shardLeaseName(shard));
                      lease.edit(
                          l -> {
                            l.getSpec().setHolderIdentity("replica-b");
                            l.getSpec().setRenewTime(ZonedDateTime.now());
                            l.getSpec().setLeaseDurationSeconds(60);
                            return l;
                          });
                    }
                  }));

      // The holder handles an event: the Finding opens, the message is deleted.
      send(sqs, url, "AuthorizeSecurityGroupIngress");
      var deadline = Instant.now().plusSeconds(20);
      while (finding(name) == null && Instant.now().isBefore(deadline)) {
        assertThat(holder.cycle()).isEqualTo(Duration.ZERO);
      }
      var opened = finding(name);
      assertThat(opened.getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> MotoEvents.visible(sqs, url) + MotoEvents.inFlight(sqs, url) == 0);

      // The reverse change's event, re-evaluated while the shard moves: the fenced write is
      // refused before anything is written, and the poller backs off instead of receiving again.
      steal.set(true);
      send(sqs, url, "RevokeSecurityGroupIngress");
      Duration next = Duration.ZERO;
      deadline = Instant.now().plusSeconds(20);
      while (next.isZero() && Instant.now().isBefore(deadline)) {
        next = holder.cycle();
      }
      assertThat(next).as("the poller backs off after a handover").isEqualTo(Duration.ofSeconds(7));
      assertThat(shards.stillHolds("team-a", "acct")).isFalse();
      var after = finding(name);
      assertThat(after.getStatus().state())
          .as("the fenced re-evaluation resolved nothing")
          .isEqualTo(FindingStatus.State.OPEN);
      assertThat(after.getMetadata().getResourceVersion())
          .as("nor wrote anything else")
          .isEqualTo(opened.getMetadata().getResourceVersion());
      // The message is neither deleted nor dead-lettered: in flight, then visible again.
      assertThat(MotoEvents.inFlight(sqs, url)).isEqualTo(1);
      assertThat(MotoEvents.visible(sqs, dlq)).isZero();
      await().atMost(Duration.ofSeconds(15)).until(() -> MotoEvents.visible(sqs, url) == 1);

      // The next holder (replica-b, whose own fence is not under test here) receives the same
      // message and brings the Finding to the state the event asks for.
      var handled = new CopyOnWriteArrayList<Set<Class<? extends Dataset>>>();
      var nextWriter =
          new FindingWriter(client, store, FindingWriter.Options.unfenced(Duration.ofDays(7)));
      var nextHolder =
          poller(
              queue,
              (a, region, datasets, oldest, received) -> {
                handled.add(datasets);
                return writing(nextWriter, List.of(List.of()), () -> {})
                    .reevaluate(a, region, datasets, oldest, received);
              });
      deadline = Instant.now().plusSeconds(20);
      while (handled.isEmpty() && Instant.now().isBefore(deadline)) {
        assertThat(nextHolder.cycle()).isEqualTo(Duration.ZERO);
      }
      assertThat(handled).hasSize(1);
      assertThat(finding(name).getStatus().state()).isEqualTo(FindingStatus.State.RESOLVED);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> MotoEvents.visible(sqs, url) + MotoEvents.inFlight(sqs, url) == 0);
      assertThat(MotoEvents.visible(sqs, dlq)).isZero();
    }
  }

  @Test
  void unshardedTheLeaderLeaseFencesAndWithoutElectionNothingDoes() {
    var leadership = new Leadership();
    var unsharded = new Shards(client, ShardsTest.config("replica-a", 1), leadership);
    var elected = new LeaseWriteFence(unsharded, leadership, () -> true);
    assertThat(elected.holds("team-a", "acct")).as("a standby").isFalse();
    var writer =
        new FindingWriter(client, store, new FindingWriter.Options(Duration.ofDays(7), elected));
    assertThatThrownBy(() -> writer.sync(SCOPE, FindingWriterRestartTest.desired(1), f -> false, 9))
        .isInstanceOf(WriteFence.Fenced.class);
    assertThat(client.resources(Finding.class).inNamespace("team-a").list().getItems()).isEmpty();
    // Other scopes (the cluster audit's) are not fenced by account.
    assertThat(writer.sync(FindingStore.AUDIT_SCOPE, List.of(), f -> false, 9).writes()).isZero();

    leadership.startedLeading();
    assertThat(elected.holds("team-a", "acct")).as("the leader").isTrue();
    assertThat(writer.sync(SCOPE, FindingWriterRestartTest.desired(1), f -> false, 9).writes())
        .isPositive();
    leadership.stoppedLeading();
    assertThat(elected.holds("team-a", "acct")).as("leadership lost").isFalse();

    var local = new LeaseWriteFence(unsharded, leadership, () -> false);
    assertThat(local.holds("team-a", "acct")).as("no leader election: one process").isTrue();
  }
}
