package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.webhook.policy.PolicySet;
import dev.parapet.webhook.rules.NotFullyCheckedRule;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The in-webhook deadline, on a fake clock that advances 1 ms each time it is read: no test waits
 * or depends on the machine's speed. A review that cannot finish in its budget is denied under a
 * policy that can deny, allowed with a warning under Warn/Audit-only policies, and counted.
 */
class ReviewDeadlineTest {
  static final ObjectMapper JSON = new ObjectMapper();

  record Decision(String kind, String decision, List<Violation> counted) {}

  final List<Decision> decisions = new ArrayList<>();
  final AtomicLong clockReads = new AtomicLong();

  AdmissionHandler handler(long budgetMillis) {
    return new AdmissionHandler(
        AdmissionHandlerTest::fixturePolicies,
        ns -> Map.of("kubernetes.io/metadata.name", ns),
        "parapet-system",
        8 << 20,
        (kind, decision, counted, nanos) -> decisions.add(new Decision(kind, decision, counted)),
        Clock.systemUTC(),
        budgetMillis,
        () -> clockReads.getAndIncrement() * 1_000_000L);
  }

  AdmissionHandler unlimited() {
    return new AdmissionHandler(
        AdmissionHandlerTest::fixturePolicies,
        ns -> Map.of("kubernetes.io/metadata.name", ns),
        "parapet-system",
        8 << 20,
        (kind, decision, counted, nanos) -> decisions.add(new Decision(kind, decision, counted)),
        Clock.systemUTC());
  }

  /** A clean pod (no forbidden port) with many large env values to scan, in {@code namespace}. */
  static byte[] bigCleanPod(String namespace, String operation) throws Exception {
    var review =
        (ObjectNode)
            JSON.readTree(
                Files.readAllBytes(AdmissionHandlerTest.FIXTURES.resolve("pod/allowed.json")));
    var request = (ObjectNode) review.get("request");
    request.put("namespace", namespace);
    request.put("operation", operation);
    var object = (ObjectNode) request.get("object");
    ((ObjectNode) object.get("metadata")).put("namespace", namespace);
    var container = (ObjectNode) object.get("spec").get("containers").get(0);
    var env = container.putArray("env");
    int values = operation.equals("UPDATE") ? 15 : 40; // oldObject doubles the size
    for (int i = 0; i < values; i++) {
      env.addObject().put("name", "V" + i).put("value", "plain text ".repeat(10_000));
    }
    if (operation.equals("UPDATE")) {
      request.set("oldObject", object.deepCopy());
    }
    return JSON.writeValueAsBytes(review);
  }

  static JsonNode response(AdmissionHandler.Result r) throws Exception {
    assertThat(r.status()).isEqualTo(200);
    return JSON.readTree(r.body()).path("response");
  }

  @Test
  void withoutADeadlineTheBigPodIsCleanAndAllowed() throws Exception {
    var res = response(unlimited().validate(bigCleanPod("prod", "CREATE")));
    assertThat(res.path("allowed").asBoolean()).isTrue();
    assertThat(res.has("warnings")).isFalse();
  }

  @Test
  void aDenyPolicyDeniesWhatItCouldNotCheckInTime() throws Exception {
    var res = response(handler(5).validate(bigCleanPod("prod", "CREATE")));
    assertThat(res.path("allowed").asBoolean()).isFalse();
    assertThat(res.path("status").path("code").asInt()).isEqualTo(403);
    assertThat(res.path("status").path("message").asText())
        .startsWith("Pod prod/web: not fully checked within 5 ms [rule not-fully-checked");
    assertThat(decisions).hasSize(1);
    assertThat(decisions.get(0).decision()).isEqualTo("denied");
    assertThat(decisions.get(0).counted())
        .extracting(v -> v.rule().id())
        .containsExactly(NotFullyCheckedRule.METADATA.id());
  }

  @Test
  void theClockIsReadInsideTheScanNotOnlyBeforeIt() throws Exception {
    // 40 values of 110,000 chars: at least one read per value and one per 64 Ki chars.
    unlimited().validate(bigCleanPod("prod", "CREATE")); // warm nothing: no clock involved
    var h = handler(1_000_000);
    var res = response(h.validate(bigCleanPod("prod", "CREATE")));
    assertThat(res.path("allowed").asBoolean()).isTrue();
    assertThat(clockReads.get()).isGreaterThan(40 * (110_000 / 65_536));
  }

  @Test
  void anAuditOnlyPolicyAllowsWithAWarning() throws Exception {
    var res = response(handler(5).validate(bigCleanPod("sandbox", "CREATE")));
    assertThat(res.path("allowed").asBoolean()).isTrue();
    assertThat(res.path("warnings").get(0).asText())
        .startsWith("Pod sandbox/web: not fully checked within 5 ms");
    assertThat(decisions.get(0).decision()).isEqualTo("warned");
  }

  @Test
  void anUpdateWhoseOldObjectAlsoRanOutIsStillDenied() throws Exception {
    // prod-deny allows violations present before an update; running out of time is never one.
    var res = response(handler(5).validate(bigCleanPod("prod", "UPDATE")));
    assertThat(res.path("allowed").asBoolean()).isFalse();
    assertThat(res.path("status").path("message").asText()).contains("not fully checked");
  }

  @Test
  void anExemptNamespaceIsNotChecked() throws Exception {
    var res = response(handler(0).validate(bigCleanPod("kube-system", "CREATE")));
    assertThat(res.path("allowed").asBoolean()).isTrue();
    assertThat(decisions.get(0).decision()).isEqualTo("exempt");
  }

  @Test
  void theAuditAndTheCliGetTheSameVerdictFromPolicySet() {
    var pod =
        Fixtures.pod(
            new io.fabric8.kubernetes.api.model.PodSpecBuilder()
                .addNewContainer()
                .withName("web")
                .addNewEnv()
                .withName("A")
                .withValue("plain")
                .endEnv()
                .endContainer()
                .build());
    pod.getMetadata().setNamespace("prod");
    var set = AdmissionHandlerTest.fixturePolicies();
    var selected =
        set.select("prod", Map.of("kubernetes.io/metadata.name", "prod"), "parapet-system");
    var expired = dev.parapet.webhook.budget.Deadline.of(0, 0, () -> 0);
    var v = PolicySet.evaluate(WorkloadReview.of(pod, expired), selected, java.time.Instant.now());
    assertThat(v).hasSize(1);
    assertThat(v.get(0).rule()).isSameAs(NotFullyCheckedRule.METADATA);
    assertThat(v.get(0).enforcement()).isEqualTo(dev.parapet.api.v1alpha1.Enforcement.DENY);
    assertThat(PolicySet.evaluate(WorkloadReview.of(pod), selected, java.time.Instant.now()))
        .isEmpty();
  }
}
