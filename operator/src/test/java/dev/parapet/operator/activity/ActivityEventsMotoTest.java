package dev.parapet.operator.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.collect.EventQueue;
import dev.parapet.operator.aws.events.CloudAccountRef;
import dev.parapet.operator.aws.events.EventPoller;
import dev.parapet.operator.aws.events.PollerCallbacks;
import dev.parapet.operator.aws.events.activity.ActivityRules;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.policy.ExceptionUsage;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.CloudTrailRecords;
import dev.parapet.testing.CrudApiServer;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * End to end through SQS on moto: a CloudTrail record in an EventBridge envelope is put on the
 * account's queue, the event poller (h/events) receives it and hands it to the {@link
 * ActivityRecorder}, and an activity Finding appears on the (mock) API server; the message is
 * deleted. Its benign twin on the same queue writes nothing.
 */
class ActivityEventsMotoTest {

  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  static final ObjectMapper JSON = new ObjectMapper();
  static final String NS = "team-a";
  static final CloudAccountRef REF = new CloudAccountRef(NS, "acct", MotoServer.ACCOUNT_ID);

  CrudApiServer api;
  KubernetesClient client;
  FindingStore store;
  AwsClientFactory factory;
  SqsClient sqs;
  String queueUrl;

  @BeforeEach
  void start() {
    api = CrudApiServer.start();
    client = api.client();
    store = api.store();
    var a = new CloudAccount();
    a.setMetadata(
        new ObjectMetaBuilder().withNamespace(NS).withName("acct").withUid("uid-acct").build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS,
            MotoServer.ACCOUNT_ID,
            List.of(MotoServer.REGION),
            null,
            null,
            null));
    client.resource(a).create();
    sqs = new AwsSeed(MOTO.server()).client(SqsClient.builder(), MotoServer.REGION);
    queueUrl =
        sqs.createQueue(
                b -> b.queueName("activity-" + UUID.randomUUID().toString().substring(0, 8)))
            .queueUrl();
    factory = new AwsClientFactory(ClientSettings.defaults());
  }

  @AfterEach
  void stop() {
    sqs.deleteQueue(b -> b.queueUrl(queueUrl));
    sqs.close();
    factory.close();
    api.close();
  }

  /** The EventBridge envelope of a CloudTrail record, as the rule on the bus delivers it. */
  static String envelope(String fixture) {
    var detail = (ObjectNode) CloudTrailRecords.record(fixture);
    detail.put("eventTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    detail.put("awsRegion", MotoServer.REGION);
    var e = JSON.createObjectNode();
    e.put("version", "0");
    e.put("id", UUID.randomUUID().toString());
    e.put("detail-type", "AWS API Call via CloudTrail");
    e.put("source", "aws.ec2");
    e.put("account", MotoServer.ACCOUNT_ID);
    e.put("time", detail.get("eventTime").asText());
    e.put("region", MotoServer.REGION);
    e.putArray("resources");
    e.set("detail", detail);
    return e.toString();
  }

  @Test
  void aCloudTrailEventOnTheQueueOpensAnActivityFinding() {
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(envelope("sg-ssh-world")));
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(envelope("sg-ssh-private")));
    var writer = api.writer();
    var recorder =
        new ActivityRecorder(
            client, writer, store, ActivityRecorderTest.CATALOG, new ExceptionUsage(), 100, 600);
    var reevaluations = new AtomicInteger();
    try (var session =
        factory.open(MOTO.server().credentials(), MOTO.server().endpoint(), MotoServer.REGION)) {
      var queue =
          EventQueue.open(
              session, EventQueue.locate(queueUrl, MOTO.server().endpoint(), MotoServer.REGION));
      var poller =
          new EventPoller(
              REF,
              queue,
              new EventPoller.Settings(1, Duration.ofMillis(200), 10, 1, Duration.ofSeconds(1)),
              Set.of(MotoServer.REGION),
              MotoServer.REGION,
              (account, region, datasets, oldest, received) -> {
                reevaluations.incrementAndGet();
                return 0;
              },
              List.of(recorder),
              PollerCallbacks.NONE,
              Clock.systemUTC());
      var deadline = Instant.now().plusSeconds(30);
      while (remaining() > 0 && Instant.now().isBefore(deadline)) {
        poller.cycle();
      }
    }

    var findings = client.resources(Finding.class).inNamespace(NS).list().getItems();
    assertThat(findings).hasSize(1);
    var f = findings.get(0);
    assertThat(f.getSpec().category()).isEqualTo(FindingSpec.Category.ACTIVITY);
    assertThat(f.getSpec().rule().id()).isEqualTo(ActivityRules.SECURITY_GROUP_OPENED.id());
    assertThat(f.getSpec().resource().id()).isEqualTo("sg-0123456789abcdef0");
    assertThat(f.getSpec().activity().eventId()).isEqualTo("s0000000-0000-4000-8000-000000000001");
    assertThat(f.getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    assertThat(remaining()).as("both messages handled and deleted").isZero();
    assertThat(reevaluations.get())
        .as("the poller's own targeted re-evaluation ran next to the listener")
        .isPositive();
  }

  private int remaining() {
    var attrs =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(
            attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }
}
