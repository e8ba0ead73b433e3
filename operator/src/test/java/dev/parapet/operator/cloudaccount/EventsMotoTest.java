package dev.parapet.operator.cloudaccount;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static dev.parapet.testing.OperatorMoto.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.operator.findings.FindingNames;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.Conflicts;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Event-driven re-evaluation end to end: the operator on the Fabric8 CRUD mock server, the real
 * engine against moto through a WireMock proxy (which counts AWS calls and injects AccessDenied),
 * an EventBridge rule on moto delivering CloudTrail-shaped events (put by the test: moto emits
 * none) to an SQS queue with a dead-letter queue.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class EventsMotoTest {

  static final String NS = "events";
  static final String REGION = "eu-central-1";
  static final String ACCOUNT_ID = MotoServer.ACCOUNT_ID;
  static final String SSH = "aws-ec2-sg-ssh-open";
  static final Duration WAIT = Duration.ofSeconds(60);

  static MotoServer moto;
  static WireMockServer proxy;
  static AwsSeed seed;
  static MotoEvents bus;
  static String group;
  static String queueArn;
  static String queueUrl;
  static String dlqUrl;

  @Inject KubernetesClient client;
  @Inject io.micrometer.core.instrument.MeterRegistry registry;

  long reevaluations() {
    var t = registry.find("parapet_event_to_finding").tag("since", "received").timer();
    return t == null ? 0 : t.count();
  }

  double counter(String name) {
    var c = registry.find(name).counter();
    return c == null ? 0 : c.count();
  }

  void editEvents(CloudAccountSpec.Events events) {
    Conflicts.retry(
        () ->
            client
                .resources(CloudAccount.class)
                .inNamespace(NS)
                .withName("moto")
                .edit(
                    x -> {
                      var s = x.getSpec();
                      x.setSpec(
                          new CloudAccountSpec(
                              s.provider(),
                              s.accountId(),
                              s.regions(),
                              s.credentials(),
                              s.scan(),
                              s.endpointOverride(),
                              s.export(),
                              s.remediation(),
                              events));
                      return x;
                    }));
  }

  @BeforeAll
  static void seed() throws Exception {
    moto = MotoServer.shared();
    moto.reset();
    proxy = MotoProxy.recording(moto);
    seed = new AwsSeed(moto);
    try (var ec2 = seed.ec2(REGION)) {
      group = AwsSeed.securityGroup(ec2, "events-web"); // closed for now
      AwsSeed.attach(ec2, group);
    }
    try (var sqs = sqs()) {
      queueArn = MotoEvents.queueWithDlq(sqs, "parapet-events", 2);
      queueUrl = sqs.getQueueUrl(b -> b.queueName("parapet-events")).queueUrl();
      dlqUrl = sqs.getQueueUrl(b -> b.queueName("parapet-events-dlq")).queueUrl();
    }
    bus = new MotoEvents(moto.endpoint(), REGION);
    bus.ruleToQueue("parapet-cloudtrail", List.of("aws.ec2", "aws.s3", "aws.iam"), queueArn);
  }

  static SqsClient sqs() {
    return seed.client(SqsClient.builder(), REGION);
  }

  static void allowAll() {
    proxy.resetAll();
    MotoProxy.forward(proxy, moto);
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.stop();
    }
  }

  /** Calls of one AWS action that reached the proxy (EC2/STS query protocol, SQS JSON). */
  static long calls(String action) {
    return proxy.getAllServeEvents().stream()
        .filter(
            e ->
                e.getRequest().getBodyAsString().contains("Action=" + action)
                    || String.valueOf(e.getRequest().getHeader("X-Amz-Target"))
                        .endsWith("." + action))
        .count();
  }

  /** Every AWS call that reached the proxy except the queue's own (SQS) calls. */
  static long nonQueueCalls() {
    return proxy.getAllServeEvents().stream()
        .filter(
            e -> !String.valueOf(e.getRequest().getHeader("X-Amz-Target")).startsWith("AmazonSQS."))
        .filter(e -> !e.getRequest().getBodyAsString().contains("QueueUrl"))
        .count();
  }

  CloudAccount account() {
    return client.resources(CloudAccount.class).inNamespace(NS).withName("moto").get();
  }

  static String findingName(String rule, String sg) {
    var arn = "arn:aws:ec2:" + REGION + ":" + ACCOUNT_ID + ":security-group/" + sg;
    return FindingNames.name(rule, ACCOUNT_ID + "/" + REGION + "/" + arn + "#");
  }

  Finding finding(String name) {
    return client.resources(Finding.class).inNamespace(NS).withName(name).get();
  }

  static FindingStatus.State state(Finding f) {
    return f == null || f.getStatus() == null ? null : f.getStatus().state();
  }

  static ObjectNode sgEvent(String name, String groupId) {
    return MotoEvents.record("ec2.amazonaws.com", name, REGION, Map.of("groupId", groupId));
  }

  @Test
  void eventsReevaluateWithoutAFullScan() throws Exception {
    Crds.apply(client);
    var credentials = OperatorMoto.keys(client, NS);
    OperatorMoto.policy(
        client,
        "events-baseline",
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                OperatorMoto.selecting("events"),
                List.of(PosturePolicySpec.Framework.AWS_FSBP),
                new RuleSelection(null, List.of("aws-ec2-snapshot-*", "aws-ec2-ami-public")),
                null,
                null),
            null,
            null));
    var a =
        OperatorMoto.account(
            client,
            NS,
            "moto",
            "events",
            new CloudAccountSpec(
                CloudAccountSpec.Provider.AWS,
                ACCOUNT_ID,
                List.of(REGION),
                credentials,
                new CloudAccountSpec.Scan(
                    "6h", null, new CloudAccountSpec.Services(List.of("ec2"), null)),
                proxy.baseUrl(),
                null,
                null,
                new CloudAccountSpec.Events(queueArn, 2, null)));

    // The first (full) scan and the poller: the group is closed, no Finding for it.
    await()
        .atMost(WAIT)
        .conditionEvaluationListener(
            c -> {
              if (c.getRemainingTimeInMS() < 2000) {
                System.out.println("[events] status: " + account().getStatus());
              }
            })
        .until(
            () -> {
              var c = condition(account(), AccountEventPollers.CONDITION);
              return account().getStatus() != null
                  && account().getStatus().lastScan() != null
                  && c != null
                  && Condition.TRUE.equals(c.status());
            });
    assertThat(condition(account(), AccountEventPollers.CONDITION).reason()).isEqualTo("Polling");
    assertThat(finding(findingName(SSH, group))).isNull();
    var lastScan = account().getStatus().lastScan().startedAt();
    var otherOpen =
        client.resources(Finding.class).inNamespace(NS).list().getItems().stream()
            .filter(f -> state(f) == FindingStatus.State.OPEN)
            .map(f -> f.getMetadata().getName())
            .toList();
    assertThat(otherOpen)
        .as("moto's default NACL allows all traffic: a Finding of another dataset")
        .isNotEmpty();

    // 1. The change, then its event: the Finding opens without a full scan, in few calls.
    try (var ec2 = seed.ec2(REGION)) {
      ec2.authorizeSecurityGroupIngress(
          b -> b.groupId(group).ipPermissions(AwsSeed.tcp(22, 22, "0.0.0.0/0")));
    }
    var identity = calls("GetCallerIdentity");
    var before = nonQueueCalls();
    var describeSg = calls("DescribeSecurityGroups");
    bus.put(List.of(sgEvent("AuthorizeSecurityGroupIngress", group)));
    await()
        .atMost(WAIT)
        .until(() -> state(finding(findingName(SSH, group))) == FindingStatus.State.OPEN);
    var callsPerEvent = nonQueueCalls() - before;
    // One: the security groups; what else the rules read (network interfaces) comes from the
    // full scan's inventory, held for this account because it has spec.events.
    assertThat(callsPerEvent).as("AWS calls of one security-group event").isEqualTo(1L);
    assertThat(calls("DescribeSecurityGroups") - describeSg).isEqualTo(1);
    assertThat(calls("GetCallerIdentity")).as("no full scan ran").isEqualTo(identity);
    assertThat(account().getStatus().lastScan().startedAt()).isEqualTo(lastScan);
    // Findings of datasets the event did not touch are left as they were.
    for (var name : otherOpen) {
      assertThat(state(finding(name))).as(name).isEqualTo(FindingStatus.State.OPEN);
    }

    // 2. The reverse change and its event resolve it.
    try (var ec2 = seed.ec2(REGION)) {
      ec2.revokeSecurityGroupIngress(
          b -> b.groupId(group).ipPermissions(AwsSeed.tcp(22, 22, "0.0.0.0/0")));
    }
    bus.put(List.of(sgEvent("RevokeSecurityGroupIngress", group)));
    await()
        .atMost(WAIT)
        .until(() -> state(finding(findingName(SSH, group))) == FindingStatus.State.RESOLVED);
    for (var name : otherOpen) {
      assertThat(state(finding(name))).as(name).isEqualTo(FindingStatus.State.OPEN);
    }

    // 3. A burst: 30 events and 10 copies of one more (same eventID) wait in the queue while
    // polling is suspended; once resumed they cause one re-evaluation (coalescing window 2 s).
    try (var ec2 = seed.ec2(REGION)) {
      ec2.authorizeSecurityGroupIngress(
          b -> b.groupId(group).ipPermissions(AwsSeed.tcp(22, 22, "0.0.0.0/0")));
    }
    await().atMost(WAIT).until(() -> MotoEvents.visible(sqsQuiet(), queueUrl) == 0);
    editEvents(new CloudAccountSpec.Events(queueArn, 2, true));
    await()
        .atMost(WAIT)
        .until(
            () -> "Suspended".equals(condition(account(), AccountEventPollers.CONDITION).reason()));
    var burst = new ArrayList<ObjectNode>();
    for (int i = 0; i < 30; i++) {
      burst.add(
          sgEvent(
              i % 2 == 0 ? "AuthorizeSecurityGroupIngress" : "ModifySecurityGroupRules", group));
    }
    var duplicate = sgEvent("AuthorizeSecurityGroupIngress", group);
    for (int i = 0; i < 10; i++) {
      burst.add(duplicate);
    }
    bus.put(burst);
    await().atMost(WAIT).until(() -> MotoEvents.visible(sqsQuiet(), queueUrl) == 40);
    var reevaluations = reevaluations();
    var processed = counter("parapet_events_processed");
    editEvents(new CloudAccountSpec.Events(queueArn, 2, null));
    await()
        .atMost(WAIT)
        .until(() -> state(finding(findingName(SSH, group))) == FindingStatus.State.OPEN);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              try (var sqs = sqs()) {
                return MotoEvents.visible(sqs, queueUrl) == 0 && notVisible(sqs, queueUrl) == 0;
              }
            });
    assertThat(reevaluations() - reevaluations)
        .as("40 messages coalesced into one re-evaluation")
        .isEqualTo(1);
    assertThat(counter("parapet_events_processed") - processed)
        .as("31 distinct events (the 10 copies count once)")
        .isEqualTo(31);

    // 4. A poison message is retried, then moved to the dead-letter queue, with an Event.
    try (var sqs = sqs()) {
      sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"not\":\"a cloudtrail event\"}"));
    }
    await()
        .atMost(WAIT)
        .until(
            () -> {
              try (var sqs = sqs()) {
                return MotoEvents.visible(sqs, dlqUrl) == 1;
              }
            });
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.v1().events().inNamespace(NS).list().getItems().stream()
                    .anyMatch(e -> "EventDeadLettered".equals(e.getReason())));

    // 5. AccessDenied on the queue: EventsReady=False; the periodic scan still runs.
    proxy.stubFor(
        post(anyUrl())
            .atPriority(1)
            .withHeader("X-Amz-Target", containing("ReceiveMessage"))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/x-amz-json-1.0")
                    .withHeader("x-amzn-query-error", "AccessDenied;Sender")
                    .withBody(
                        "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\","
                            + "\"message\":\"not authorized to perform sqs:ReceiveMessage\"}")));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var c = condition(account(), AccountEventPollers.CONDITION);
              return c != null
                  && Condition.FALSE.equals(c.status())
                  && "AccessDenied".equals(c.reason());
            });
    rescan("5h");
    assertThat(condition(account(), "ScanSucceeded").status()).isEqualTo(Condition.TRUE);
    allowAll();
    await()
        .atMost(WAIT)
        .until(
            () ->
                Condition.TRUE.equals(
                    condition(account(), AccountEventPollers.CONDITION).status()));

    // 6. The queue deleted: EventsReady=False QueueDoesNotExist; scans continue.
    try (var sqs = sqs()) {
      sqs.deleteQueue(b -> b.queueUrl(queueUrl));
    }
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var c = condition(account(), AccountEventPollers.CONDITION);
              return c != null
                  && Condition.FALSE.equals(c.status())
                  && "QueueDoesNotExist".equals(c.reason());
            });
    rescan("4h");
    assertThat(condition(account(), "ScanSucceeded").status()).isEqualTo(Condition.TRUE);
  }

  static SqsClient sqsQuiet() {
    return sqs();
  }

  static int notVisible(SqsClient sqs, String url) {
    return Integer.parseInt(
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(url)
                        .attributeNames(
                            software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                .APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes()
            .get(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName
                    .APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** Changes the interval (a spec change) and waits until a new scan finished. */
  void rescan(String interval) {
    var before = account().getStatus().lastScan().finishedAt();
    Conflicts.retry(
        () ->
            client
                .resources(CloudAccount.class)
                .inNamespace(NS)
                .withName("moto")
                .edit(
                    x -> {
                      var s = x.getSpec();
                      x.setSpec(
                          new CloudAccountSpec(
                              s.provider(),
                              s.accountId(),
                              s.regions(),
                              s.credentials(),
                              new CloudAccountSpec.Scan(interval, null, s.scan().services()),
                              s.endpointOverride(),
                              s.export(),
                              s.remediation(),
                              s.events()));
                      return x;
                    }));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var x = account();
              return x.getMetadata().getGeneration().equals(x.getStatus().observedGeneration())
                  && !before.equals(x.getStatus().lastScan().finishedAt());
            });
  }
}
