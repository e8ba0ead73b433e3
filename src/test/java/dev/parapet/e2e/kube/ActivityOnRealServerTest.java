package dev.parapet.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.Selector;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.activity.ActivityRecorder;
import dev.parapet.operator.aws.events.CloudAccountRef;
import dev.parapet.operator.aws.events.activity.ActivityRules;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.policy.ExceptionUsage;
import dev.parapet.testing.CloudTrailRecords;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Activity findings on the real kube-apiserver with the chart's CRDs: the schema keeps {@code
 * spec.category} and {@code spec.activity} (nothing pruned), {@code kubectl get -l
 * parapet.dev/category=activity} lists them, an exception suppresses one, a scan's sync of the
 * account leaves them Open, and lowering the policy's retention deletes the old one.
 */
class ActivityOnRealServerTest {

  static final String NS = "activity-e2e";
  static final String ACCOUNT = "123456789012";
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode event(String fixture, Duration ago) {
    var r = (ObjectNode) CloudTrailRecords.record(fixture);
    r.put("eventTime", Instant.now().minus(ago).truncatedTo(ChronoUnit.SECONDS).toString());
    return r;
  }

  @Test
  void activityFindingsOnTheRealSchema() throws Exception {
    var cluster = KubeCluster.shared();
    RealChart.applyCrds(cluster);
    cluster.kubectl("create", "namespace", NS);
    var client = cluster.admin();
    var a = new CloudAccount();
    a.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(NS)
            .withName("acct")
            .withLabels(Map.of("parapet-e2e", "activity"))
            .build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS, ACCOUNT, List.of("eu-west-1"), null, null, null));
    var account = client.resource(a).create();
    var policy = new PosturePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("activity-e2e").build());
    policy.setSpec(spec("60d"));
    policy = client.resource(policy).create();
    var store = new FindingStore(client);
    try {
      var writer =
          new FindingWriter(client, store, FindingWriter.Options.unfenced(Duration.ofDays(7)));
      var rules = new java.util.ArrayList<RuleMetadata>(ActivityRules.metadata());
      var recorder =
          new ActivityRecorder(client, writer, store, () -> rules, new ExceptionUsage(), 100, 600);
      var ref = new CloudAccountRef(NS, "acct", ACCOUNT);
      recorder.onEvent(ref, "eu-west-1", event("sg-ssh-world", Duration.ofMinutes(2)));
      recorder.onEvent(ref, "us-east-1", event("root-console-login-no-mfa", Duration.ofMinutes(1)));
      recorder.onEvent(ref, "eu-west-1", event("delete-trail", Duration.ofDays(40)));

      var listed =
          cluster.kubectl(
              "get", "findings", "-n", NS, "-l", "parapet.dev/category=activity", "-o", "json");
      assertThat(listed.exit()).as(listed.stderr()).isZero();
      var items = JSON.readTree(listed.stdout()).path("items");
      assertThat(items).hasSize(4); // root activity + console login without MFA from one record
      for (var f : items) {
        var spec = f.path("spec");
        assertThat(spec.path("category").asText()).isEqualTo("activity");
        assertThat(spec.path("activity").path("eventId").asText()).isNotBlank();
        assertThat(spec.path("activity").path("principalArn").asText()).startsWith("arn:aws:");
        assertThat(spec.path("activity").path("sourceIp").asText()).isEqualTo("203.0.113.10");
        assertThat(spec.path("activity").path("eventTime").asText()).isNotBlank();
        var expected =
            spec.path("rule").path("id").asText().equals(ActivityRules.SECURITY_GROUP_OPENED.id())
                ? "Suppressed"
                : "Open";
        assertThat(f.path("status").path("state").asText()).isEqualTo(expected);
      }
      assertThat(listed.stdout()).doesNotContain("AKIAIOSFODNN7EXAMPLE");

      // a full scan of the account that finds nothing failing: activity findings stay Open
      writer.sync(FindingStore.accountScope(NS, "acct"), List.of(), f -> false, 100);
      var afterScan =
          cluster.kubectl(
              "get",
              "findings",
              "-n",
              NS,
              "-l",
              "parapet.dev/category=activity",
              "-o",
              "jsonpath={.items[*].status.state}");
      assertThat(afterScan.stdout()).doesNotContain("Resolved");

      // retention back to 30 days: the 40-day-old DeleteTrail finding is deleted
      policy.setSpec(spec("30d"));
      client.resource(policy).update();
      var policies = client.resources(PosturePolicy.class).list().getItems();
      var result = recorder.maintain(account, policies, Instant.now());
      assertThat(result.sync().failedWrites()).isZero();
      assertThat(result.sync().plan().deletes()).hasSize(1);
      var remaining =
          cluster.kubectl(
              "get",
              "findings",
              "-n",
              NS,
              "-l",
              "parapet.dev/category=activity",
              "-o",
              "jsonpath={.items[*].spec.activity.eventName}");
      assertThat(remaining.stdout())
          .doesNotContain("DeleteTrail")
          .contains("ConsoleLogin", "AuthorizeSecurityGroupIngress");
    } finally {
      store.stop();
      client.resource(policy).delete();
      cluster.kubectl("delete", "namespace", NS, "--wait=false");
    }
  }

  /** Retention and an exception for the bastion's group; selects only this test's account. */
  static PosturePolicySpec spec(String retention) {
    return new PosturePolicySpec(
        new PosturePolicySpec.Cloud(
            new Selector(Map.of("parapet-e2e", "activity"), null), null, null, null, null),
        null,
        List.of(
            new PosturePolicySpec.PolicyException(
                "bastion",
                List.of(ActivityRules.SECURITY_GROUP_OPENED.id()),
                new PosturePolicySpec.Match(
                    List.of(ACCOUNT),
                    null,
                    List.of("arn:aws:ec2:*:*:security-group/sg-0123456789abcdef0"),
                    null,
                    null,
                    null,
                    null),
                "the bastion's group is open on purpose",
                null,
                null)),
        null,
        null,
        new PosturePolicySpec.Activity(retention));
  }
}
