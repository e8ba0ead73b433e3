package dev.parapet.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.e2e.chart.ChartController;
import dev.parapet.operator.findings.FindingNames;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoEvents;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoServer;
import dev.parapet.testing.OperatorMoto;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Issue 16 item 4 with two operator replicas: leader handover keeps consuming the event queue
 * without loss. The packaged controller runs as two pods of the chart's Deployment (its env, its
 * ServiceAccount's token and RBAC, leader election on as the chart sets it, one shard) against the
 * real API server; one CloudAccount names a moto SQS queue (with a dead-letter queue) in {@code
 * spec.events}, and CloudTrail-shaped events reach it through a moto EventBridge rule.
 *
 * <ol>
 *   <li>The leader consumes: each security-group change plus its event opens the Finding, the
 *       reverse resolves it, with no full scan in between.
 *   <li>A burst of events is sent and the leader is SIGKILLed while it holds them in flight
 *       (received, not yet deleted). Events sent while no replica leads wait in the queue.
 *   <li>The standby takes the leader Lease once it expires (JOSDK's fixed 15 s), polls the queue,
 *       receives the killed leader's messages again after the visibility timeout and the ones sent
 *       meanwhile; changes made after its takeover scan still open and resolve their Findings
 *       through events alone.
 * </ol>
 *
 * In the end every security group's Finding is in the state AWS is in, once; the queue holds
 * nothing (every message deleted after handling), the dead-letter queue is empty, and the survivor
 * counted at least the messages the leader died holding plus those sent after the kill.
 */
class EventHandoverOnRealServerTest {

  private static final String NS = RealController.NS;
  private static final String TEAM = "team-handover";
  private static final String ACCOUNT = "moto-events";
  private static final String POLICY = "handover-ec2";
  private static final String REGION = "eu-west-1";
  private static final String SSH = "aws-ec2-sg-ssh-open";
  private static final String QUEUE = "parapet-handover";
  private static final Pattern PROCESSED =
      Pattern.compile("^parapet_events_processed_total(\\{[^}]*\\})? ([0-9.Ee+-]+)$");
  private static final Duration WAIT = Duration.ofSeconds(90);

  private static RealControllers chart;
  private static KubernetesClient client;
  private static MotoServer moto;
  private static MotoProxy proxy;
  private static MotoEvents bus;
  private static AwsSeed seed;
  private static String queueUrl;
  private static String dlqUrl;
  private static final List<String> groups = new ArrayList<>();

  /** What AWS says now: group id to whether SSH is open to the world. */
  private static final Map<String, Boolean> open = new LinkedHashMap<>();

  /** The groups that were ever open (their Finding stays, Resolved, once they close). */
  private static final java.util.Set<String> everOpen = new HashSet<>();

  @BeforeAll
  static void seedAndInstall() throws Exception {
    chart = RealControllers.install(List.of(TEAM));
    client = chart.client();

    moto = MotoServer.shared();
    moto.reset();
    seed = new AwsSeed(moto);
    try (var ec2 = seed.ec2(REGION)) {
      for (int i = 0; i < 6; i++) {
        groups.add(AwsSeed.securityGroup(ec2, "handover-" + i)); // closed for now
      }
      AwsSeed.attach(ec2, groups.toArray(String[]::new));
    }
    groups.forEach(g -> open.put(g, false));
    String queueArn;
    try (var sqs = sqs()) {
      // Visibility timeout 5 s: a message a dead replica held is visible again 5 s later.
      queueArn = MotoEvents.queueWithDlq(sqs, QUEUE, 5);
      queueUrl = sqs.getQueueUrl(b -> b.queueName(QUEUE)).queueUrl();
      dlqUrl = sqs.getQueueUrl(b -> b.queueName(QUEUE + "-dlq")).queueUrl();
    }
    bus = new MotoEvents(moto.endpoint(), REGION);
    bus.ruleToQueue("parapet-handover", List.of("aws.ec2"), queueArn);
    // Every AWS call of the controllers (queue included) answers after 200 ms: a re-evaluation
    // lasts long enough for the kill to land while its messages are in flight.
    proxy = chart.proxy(moto, 200);

    chart.applyEc2OnlyPolicy(POLICY);
    var keys = OperatorMoto.keys(client, TEAM);
    var account = new CloudAccount();
    account.setMetadata(new ObjectMetaBuilder().withName(ACCOUNT).withNamespace(TEAM).build());
    account.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS,
            MotoServer.ACCOUNT_ID,
            List.of(REGION),
            keys,
            new CloudAccountSpec.Scan(
                "6h", null, new CloudAccountSpec.Services(List.of("ec2"), null)),
            proxy.endpoint().toString(),
            null,
            null,
            // Coalescing window 2 s: a burst is held (in flight) that long before it is handled.
            new CloudAccountSpec.Events(queueArn, 2, null)));
    client.resource(account).create();
    chart.deleteOnClose(TEAM, ACCOUNT);
  }

  @AfterAll
  static void stop() {
    if (chart != null) {
      chart.close();
    }
  }

  @Test
  void theStandbyTakesTheQueueOverAndNoEventIsLost() throws Exception {
    var started = Instant.now();
    var a = start("parapet-controller-6b8f-a");
    var b = start("parapet-controller-6b8f-b");
    var pods = Map.of(a.podName(), a, b.podName(), b);
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .failFast(() -> pods.values().forEach(RealControllers::assertAlive))
        .until(() -> chart.leader() != null && pods.containsKey(chart.leader()));
    var leader = pods.get(chart.leader());
    var standby = leader == a ? b : a;

    // The leader's first scan and its poller.
    await()
        .atMost(Duration.ofMinutes(3))
        .failFast(() -> RealControllers.assertAlive(leader))
        .until(
            () -> {
              var c = ChartController.condition(account(), "EventsReady");
              return account().getStatus() != null
                  && account().getStatus().lastScan() != null
                  && c != null
                  && Condition.TRUE.equals(c.status());
            });
    var firstScan = account().getStatus().lastScan().startedAt();
    assertThat(sshFindings()).as("every group closed: no Finding yet").isEmpty();

    // 1. The leader consumes: changes and their events open, and the reverse resolves, Findings
    // without a full scan.
    change(groups.get(0), true);
    change(groups.get(1), true);
    change(groups.get(2), true);
    awaitAwsState(leader);
    change(groups.get(0), false);
    awaitAwsState(leader);
    assertThat(account().getStatus().lastScan().startedAt())
        .as("events alone, no full scan")
        .isEqualTo(firstScan);
    var byLeader = processed(leader);
    assertThat(byLeader).as("events the leader handled").isGreaterThanOrEqualTo(4);
    awaitQueueEmpty();

    // 2. A burst, and the leader killed while it holds it in flight (received, not deleted).
    change(groups.get(3), true);
    change(groups.get(4), true);
    change(groups.get(1), false);
    int inFlight;
    try (var sqs = sqs()) {
      var until = Instant.now().plusSeconds(30);
      do {
        inFlight = MotoEvents.inFlight(sqs, queueUrl);
      } while (inFlight == 0 && Instant.now().isBefore(until));
    }
    leader.process().destroyForcibly();
    assertThat(leader.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    var killedAt = Instant.now();
    assertThat(inFlight).as("messages the leader held when it was killed").isPositive();
    // Events while no replica leads wait in the queue.
    change(groups.get(5), true);
    change(groups.get(2), false);
    try (var sqs = sqs()) {
      assertThat(MotoEvents.visible(sqs, queueUrl))
          .as("the events sent after the kill wait, unconsumed")
          .isGreaterThanOrEqualTo(2);
    }

    // 3. The standby takes over the Lease, then the queue.
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .failFast(() -> RealControllers.assertAlive(standby))
        .until(() -> standby.podName().equals(chart.leader()));
    var takeover = Duration.between(killedAt, Instant.now());
    // No scan of its own: the account was scanned within its interval, so the new leader takes
    // its next due time from the persisted status (issue 19's restart spread); the events alone
    // bring the Findings to AWS's state, and the queue drains.
    awaitAwsState(standby);
    awaitQueueEmpty();
    assertThat(account().getStatus().lastScan().startedAt())
        .as("the standby does not rescan an account scanned within its interval")
        .isEqualTo(firstScan);

    // Changes after the takeover: events alone open and resolve their Findings.
    change(groups.get(0), true);
    change(groups.get(3), false);
    awaitAwsState(standby);
    change(groups.get(0), false);
    awaitAwsState(standby);
    awaitQueueEmpty();
    assertThat(account().getStatus().lastScan().startedAt())
        .as("no full scan after the takeover")
        .isEqualTo(firstScan);

    // Nothing lost: the survivor handled the messages the leader died with, those sent while no
    // one led (2), and the later ones (3); the queue and the dead-letter queue are empty.
    var bySurvivor = processed(standby);
    assertThat(bySurvivor)
        .as("events the survivor handled (%d in flight at the kill)%s", inFlight, standby.logTail())
        .isGreaterThanOrEqualTo(inFlight + 2 + 3);
    try (var sqs = sqs()) {
      assertThat(MotoEvents.visible(sqs, dlqUrl)).as("dead-lettered").isZero();
    }
    // No event handled into a wrong state: one Finding per group, as AWS is now.
    var findings = sshFindings();
    var names = findings.stream().map(f -> f.getMetadata().getName()).toList();
    assertThat(names).doesNotHaveDuplicates();
    for (var g : groups) {
      assertThat(state(findings, g)).as(g).isEqualTo(expected(g));
    }
    assertThat(ChartController.condition(account(), "EventsReady").status())
        .isEqualTo(Condition.TRUE);
    System.out.printf(
        "[handover-e2e] leader %s killed holding %d message(s); %s led %d ms later; events"
            + " handled: %d by the leader before the burst, %d by the survivor; %d s in all%n",
        leader.podName(),
        inFlight,
        standby.podName(),
        takeover.toMillis(),
        byLeader,
        bySurvivor,
        Duration.between(started, Instant.now()).toSeconds());
  }

  private static RealController start(String pod) {
    var env = new LinkedHashMap<String, String>();
    // Not under test here, and one less set of informers per process on a shared machine.
    env.put("PARAPET_AUDIT_ENABLED", "false");
    // Short long-polls, so a poller notices work (and its stop) quickly.
    env.put("PARAPET_EVENTS_WAIT_SECONDS", "2");
    return chart.start(pod, env);
  }

  /** Opens or closes SSH to the world on a group, then sends its CloudTrail event. */
  private static void change(String group, boolean toOpen) throws Exception {
    try (var ec2 = seed.ec2(REGION)) {
      if (toOpen) {
        ec2.authorizeSecurityGroupIngress(
            r -> r.groupId(group).ipPermissions(AwsSeed.tcp(22, 22, "0.0.0.0/0")));
      } else {
        ec2.revokeSecurityGroupIngress(
            r -> r.groupId(group).ipPermissions(AwsSeed.tcp(22, 22, "0.0.0.0/0")));
      }
    }
    open.put(group, toOpen);
    if (toOpen) {
      everOpen.add(group);
    }
    ObjectNode record =
        MotoEvents.record(
            "ec2.amazonaws.com",
            toOpen ? "AuthorizeSecurityGroupIngress" : "RevokeSecurityGroupIngress",
            REGION,
            Map.of("groupId", group));
    bus.put(List.of(record));
  }

  /** What each group's Finding must say: Open while open, Resolved once it was, none if never. */
  private static FindingStatus.State expected(String group) {
    if (open.get(group)) {
      return FindingStatus.State.OPEN;
    }
    return everOpen.contains(group) ? FindingStatus.State.RESOLVED : null;
  }

  private static void awaitAwsState(RealController consumer) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(250))
        .failFast(() -> RealControllers.assertAlive(consumer))
        .untilAsserted(
            () -> {
              var findings = sshFindings();
              for (var g : groups) {
                assertThat(state(findings, g)).as(g + consumer.logTail()).isEqualTo(expected(g));
              }
            });
  }

  private static void awaitQueueEmpty() {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              try (var sqs = sqs()) {
                return MotoEvents.visible(sqs, queueUrl) + MotoEvents.inFlight(sqs, queueUrl) == 0;
              }
            });
  }

  private static FindingStatus.State state(List<Finding> findings, String group) {
    var name = findingName(group);
    return findings.stream()
        .filter(f -> f.getMetadata().getName().equals(name))
        .findFirst()
        // A Finding just created has no status for a moment: not yet in any state.
        .map(f -> f.getStatus() == null ? null : f.getStatus().state())
        .orElse(null);
  }

  private static String findingName(String group) {
    var arn = "arn:aws:ec2:" + REGION + ":" + MotoServer.ACCOUNT_ID + ":security-group/" + group;
    return FindingNames.name(SSH, MotoServer.ACCOUNT_ID + "/" + REGION + "/" + arn + "#");
  }

  private static List<Finding> sshFindings() {
    return client.resources(Finding.class).inNamespace(TEAM).list().getItems().stream()
        .filter(f -> f.getSpec() != null && f.getSpec().rule() != null)
        .filter(f -> SSH.equals(f.getSpec().rule().id()))
        .toList();
  }

  /** Events a controller handled, from its /q/metrics. */
  private static long processed(RealController c) {
    var total = 0L;
    for (var line : c.metrics().lines().toList()) {
      var m = PROCESSED.matcher(line);
      if (m.matches()) {
        total += (long) Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  private static CloudAccount account() {
    return client.resources(CloudAccount.class).inNamespace(TEAM).withName(ACCOUNT).get();
  }

  private static SqsClient sqs() {
    return seed.client(SqsClient.builder(), REGION);
  }
}
