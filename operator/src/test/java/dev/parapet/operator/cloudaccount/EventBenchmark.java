package dev.parapet.operator.cloudaccount;

import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.operator.findings.FindingNames;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.Conflicts;
import dev.parapet.testing.Crds;
import dev.parapet.testing.MotoEvents;
import dev.parapet.testing.MotoServer;
import dev.parapet.testing.OperatorMoto;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Event benchmark ({@code -Pbench}, docs/benchmarks.md): event → Finding latency (p50/p99), API
 * calls per common event, and a 1,000-event burst, with the operator on the Fabric8 mock server and
 * the engine, SQS and EventBridge on moto (no proxy: moto answers directly). Prints the figures and
 * writes target/bench/events.txt. Asserts nothing about time.
 */
@Tag("bench")
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class EventBenchmark {
  static final String NS = "bench-events";
  static final String REGION = "eu-central-1";
  static final String ACCOUNT_ID = MotoServer.ACCOUNT_ID;
  static final int ITERATIONS = 40;
  static final Duration WAIT = Duration.ofSeconds(120);

  @Inject KubernetesClient client;
  @Inject MeterRegistry registry;
  private final List<String> lines = new ArrayList<>();

  void print(String format, Object... args) {
    var line = String.format(format, args);
    System.out.println("[bench] " + line);
    lines.add(line);
  }

  double counter(String name) {
    var c = registry.find(name).counter();
    return c == null ? 0 : c.count();
  }

  double timerTotalMs(String since) {
    var t = registry.find("parapet_event_to_finding").tag("since", since).timer();
    return t == null ? 0 : t.totalTime(TimeUnit.MILLISECONDS);
  }

  CloudAccount account() {
    return client.resources(CloudAccount.class).inNamespace(NS).withName("bench").get();
  }

  FindingStatus.State state(String name) {
    var f = client.resources(Finding.class).inNamespace(NS).withName(name).get();
    return f == null || f.getStatus() == null ? null : f.getStatus().state();
  }

  static double percentile(List<Double> values, double p) {
    var sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    var i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  @Test
  void eventFigures() throws Exception {
    var moto = MotoServer.shared();
    moto.reset();
    var seed = new AwsSeed(moto);
    String group;
    String instance;
    try (var ec2 = seed.ec2(REGION)) {
      group = AwsSeed.securityGroup(ec2, "bench-web");
      AwsSeed.attach(ec2, group);
      var image = AwsSeed.anyImage(ec2);
      instance =
          ec2.runInstances(b -> b.imageId(image).minCount(1).maxCount(1).instanceType("t3.micro"))
              .instances()
              .get(0)
              .instanceId();
    }
    try (var s3 = seed.s3(REGION)) {
      s3.createBucket(
          b ->
              b.bucket("bench-events-bucket")
                  .createBucketConfiguration(c -> c.locationConstraint(REGION)));
      // Nine more buckets the events do not name: an S3 event reads its own bucket only, so its
      // calls do not grow with them (before that, each bucket added 6 calls).
      for (int i = 1; i <= 9; i++) {
        var name = "bench-events-other-" + i;
        s3.createBucket(
            b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint(REGION)));
      }
    }
    try (var iam = seed.iam()) {
      iam.createUser(b -> b.userName("bench-user"));
    }
    String queueArn;
    String queueUrl;
    try (var sqs = seed.client(SqsClient.builder(), REGION)) {
      queueArn = MotoEvents.queueWithDlq(sqs, "bench-events", 5);
      queueUrl = sqs.getQueueUrl(b -> b.queueName("bench-events")).queueUrl();
    }
    var bus = new MotoEvents(moto.endpoint(), REGION);
    bus.ruleToQueue("bench-cloudtrail", List.of("aws.ec2", "aws.s3", "aws.iam"), queueArn);

    Crds.apply(client);
    var credentials = OperatorMoto.keys(client, NS);
    OperatorMoto.policy(
        client,
        "bench-events",
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                OperatorMoto.selecting("bench-events"),
                List.of(PosturePolicySpec.Framework.AWS_FSBP, PosturePolicySpec.Framework.CIS_AWS),
                null,
                null,
                null),
            null,
            null));
    var a =
        OperatorMoto.account(
            client,
            NS,
            "bench",
            "bench-events",
            new CloudAccountSpec(
                CloudAccountSpec.Provider.AWS,
                ACCOUNT_ID,
                List.of(REGION),
                credentials,
                new CloudAccountSpec.Scan(
                    "6h", null, new CloudAccountSpec.Services(List.of("ec2", "s3", "iam"), null)),
                moto.endpoint().toString(),
                null,
                null,
                new CloudAccountSpec.Events(queueArn, 0, null)));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var x = account();
              var c = x == null ? null : OperatorMoto.condition(x, AccountEventPollers.CONDITION);
              return x != null
                  && x.getStatus() != null
                  && x.getStatus().lastScan() != null
                  && c != null
                  && Condition.TRUE.equals(c.status());
            });
    print("load average at start: %s", Files.readString(Path.of("/proc/loadavg")).trim());

    // 1. Latency: open/close port 22 to the world, then its event; until the Finding flips.
    var arn = "arn:aws:ec2:" + REGION + ":" + ACCOUNT_ID + ":security-group/" + group;
    var name =
        FindingNames.name("aws-ec2-sg-ssh-open", ACCOUNT_ID + "/" + REGION + "/" + arn + "#");
    var endToEnd = new ArrayList<Double>();
    var parapet = new ArrayList<Double>();
    var callsPerSgEvent = new ArrayList<Double>();
    for (int i = 0; i < ITERATIONS; i++) {
      var open = i % 2 == 0;
      try (var ec2 = seed.ec2(REGION)) {
        if (open) {
          ec2.authorizeSecurityGroupIngress(
              b -> b.groupId(group).ipPermissions(AwsSeed.tcp(22, 22, "0.0.0.0/0")));
        } else {
          ec2.revokeSecurityGroupIngress(
              b -> b.groupId(group).ipPermissions(AwsSeed.tcp(22, 22, "0.0.0.0/0")));
        }
      }
      var want = open ? FindingStatus.State.OPEN : FindingStatus.State.RESOLVED;
      var beforeTotal = timerTotalMs("received");
      var beforeCalls = counter("parapet_events_api_calls");
      var start = System.nanoTime();
      bus.put(
          List.of(
              MotoEvents.record(
                  "ec2.amazonaws.com",
                  open ? "AuthorizeSecurityGroupIngress" : "RevokeSecurityGroupIngress",
                  REGION,
                  Map.of("groupId", group))));
      while (state(name) != want) {
        Thread.sleep(5);
        if (System.nanoTime() - start > WAIT.toNanos()) {
          throw new AssertionError("no " + want + " Finding after " + WAIT);
        }
      }
      endToEnd.add((System.nanoTime() - start) / 1e6);
      await().atMost(WAIT).until(() -> timerTotalMs("received") > beforeTotal);
      parapet.add(timerTotalMs("received") - beforeTotal);
      callsPerSgEvent.add(counter("parapet_events_api_calls") - beforeCalls);
    }
    print(
        "latency, %d security-group events (PutEvents -> Finding flipped, seen by a 5 ms GET poll"
            + " of the mock API server): p50 %.0f ms, p99 %.0f ms, max %.0f ms",
        ITERATIONS, percentile(endToEnd, 50), percentile(endToEnd, 99), Collections.max(endToEnd));
    print(
        "Parapet's share (parapet_event_to_finding_seconds{since=received}: message received ->"
            + " Findings written): p50 %.0f ms, p99 %.0f ms",
        percentile(parapet, 50), percentile(parapet, 99));

    // 2. API calls per common event (the engine's own count of the re-evaluation's calls).
    print("API calls per event (re-evaluation only; the queue's own SQS calls excluded):");
    print("  AuthorizeSecurityGroupIngress: %.0f", percentile(callsPerSgEvent, 50));
    var cases =
        List.of(
            MotoEvents.record(
                "ec2.amazonaws.com",
                "CreateNetworkAclEntry",
                REGION,
                Map.of("networkAclId", "acl-00000000")),
            MotoEvents.record(
                "ec2.amazonaws.com",
                "ModifyInstanceMetadataOptions",
                REGION,
                Map.of("instanceId", instance)),
            MotoEvents.record(
                "ec2.amazonaws.com", "RunInstances", REGION, Map.of("instanceId", instance)),
            MotoEvents.record(
                "s3.amazonaws.com",
                "PutBucketPolicy",
                REGION,
                Map.of("bucketName", "bench-events-bucket")),
            MotoEvents.record(
                "s3.amazonaws.com",
                "PutBucketPublicAccessBlock",
                REGION,
                Map.of("bucketName", "bench-events-bucket")),
            MotoEvents.record(
                "iam.amazonaws.com",
                "CreateAccessKey",
                "us-east-1",
                Map.of("userName", "bench-user")),
            MotoEvents.record(
                "iam.amazonaws.com",
                "DeactivateMFADevice",
                "us-east-1",
                Map.of("userName", "bench-user")));
    for (var event : cases) {
      var processed = counter("parapet_events_processed");
      var calls = counter("parapet_events_api_calls");
      bus.put(List.of(event));
      await().atMost(WAIT).until(() -> counter("parapet_events_processed") > processed);
      print(
          "  %s: %.0f",
          event.get("eventName").asText(), counter("parapet_events_api_calls") - calls);
    }

    // 3. A 1,000-event burst (sent straight to the queue, 10 per SendMessageBatch) with the
    // default 2 s coalescing window.
    Conflicts.retry(
        () ->
            client
                .resources(CloudAccount.class)
                .inNamespace(NS)
                .withName("bench")
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
                              new CloudAccountSpec.Events(queueArn, 2, null)));
                      return x;
                    }));
    Thread.sleep(3000); // the poller is replaced (new fingerprint)
    var processed = counter("parapet_events_processed");
    var calls = counter("parapet_events_api_calls");
    var bursts = registry.find("parapet_event_to_finding").tag("since", "received").timer().count();
    var start = System.nanoTime();
    try (var sqs = seed.client(SqsClient.builder(), REGION)) {
      for (int i = 0; i < 100; i++) {
        var entries = new ArrayList<SendMessageBatchRequestEntry>();
        for (int j = 0; j < 10; j++) {
          var env = MotoEvents.MAPPER.createObjectNode();
          env.put("detail-type", "AWS API Call via CloudTrail");
          env.put("source", "aws.ec2");
          env.put("region", REGION);
          env.set(
              "detail",
              MotoEvents.record(
                  "ec2.amazonaws.com",
                  "ModifySecurityGroupRules",
                  REGION,
                  Map.of("groupId", group)));
          entries.add(
              SendMessageBatchRequestEntry.builder()
                  .id("m" + j)
                  .messageBody(env.toString())
                  .build());
        }
        sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      }
      var sent = (System.nanoTime() - start) / 1e6;
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> counter("parapet_events_processed") - processed >= 1000);
      var drained = (System.nanoTime() - start) / 1e6;
      await()
          .atMost(WAIT)
          .until(
              () ->
                  MotoEvents.visible(sqs, queueUrl) == 0
                      && EventsMotoTest.notVisible(sqs, queueUrl) == 0);
      var reevaluations =
          registry.find("parapet_event_to_finding").tag("since", "received").timer().count()
              - bursts;
      print(
          "1,000-event burst: sent in %.0f ms; all handled %.0f ms after the first send;"
              + " %d re-evaluations, %.0f API calls in all (%.3f per event)",
          sent,
          drained,
          reevaluations,
          counter("parapet_events_api_calls") - calls,
          (counter("parapet_events_api_calls") - calls) / 1000.0);
    }
    print("load average at end: %s", Files.readString(Path.of("/proc/loadavg")).trim());
    var out = Path.of("target", "bench", "events.txt");
    Files.createDirectories(out.getParent());
    Files.write(out, lines);
  }
}
