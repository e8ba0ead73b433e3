package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.webhook.policy.PolicyFile;
import dev.parapet.webhook.policy.PolicySet;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The handler without Quarkus: warning caps, counted enforcement, unevaluated requests. */
class AdmissionHandlerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path FIXTURES = Path.of("src/test/resources/admission");

  record Decision(String kind, String decision, List<Violation> counted) {}

  final List<Decision> decisions = new ArrayList<>();

  AdmissionHandler handler(Supplier<PolicySet> policies) {
    return new AdmissionHandler(
        policies,
        ns -> Map.of("kubernetes.io/metadata.name", ns),
        "parapet-system",
        1 << 20,
        (kind, decision, counted, nanos) -> decisions.add(new Decision(kind, decision, counted)),
        Clock.systemUTC());
  }

  static PolicySet fixturePolicies() {
    return PolicySet.of(PolicyFile.load(FIXTURES.resolve("policies.yaml")));
  }

  static JsonNode response(AdmissionHandler.Result r) throws Exception {
    assertThat(r.status()).isEqualTo(200);
    return JSON.readTree(r.body()).path("response");
  }

  static byte[] podReview(Object pod) throws Exception {
    var review =
        (ObjectNode) JSON.readTree(Files.readAllBytes(FIXTURES.resolve("pod/denied.json")));
    var request = (ObjectNode) review.get("request");
    request.put("namespace", "apps");
    request.set("object", JSON.valueToTree(pod));
    return JSON.writeValueAsBytes(review);
  }

  @Test
  void warningsAreCappedAtFiveThenASummary() throws Exception {
    // The safe default (Warn): six forbidden ports and hostNetwork make seven warnings.
    var ports =
        IntStream.of(22, 23, 2375, 2376, 3389, 10250)
            .mapToObj(p -> new ContainerPort(p, null, null, null, "TCP"))
            .toList();
    var pod =
        Fixtures.pod(
            new PodSpecBuilder()
                .withHostNetwork(true)
                .withContainers(
                    new ContainerBuilder()
                        .withName("web")
                        .withImage("registry.example/web:1")
                        .withPorts(ports)
                        .build())
                .build());
    pod.getMetadata().setNamespace("apps");
    var r = handler(PolicySet::defaults).validate(podReview(pod));
    var response = response(r);
    assertThat(response.path("allowed").asBoolean()).isTrue();
    var warnings = new ArrayList<String>();
    response.path("warnings").forEach(w -> warnings.add(w.asText()));
    assertThat(warnings).hasSize(6);
    assertThat(warnings.subList(0, 5)).allMatch(w -> w.contains("[rule "));
    assertThat(warnings.get(5)).isEqualTo("and 2 more warning(s)");
    // Every violation is still counted in the metrics.
    assertThat(decisions.get(0).counted()).hasSize(7);
  }

  @Test
  void warningsStayUnderTheApiserversFourKibTotal() {
    var big = List.of("a".repeat(1500), "b".repeat(1500), "c".repeat(1500), "d".repeat(10));
    var capped = AdmissionResponses.capWarnings(big);
    assertThat(capped).containsExactly(big.get(0), big.get(1), "and 2 more warning(s)");
    assertThat(String.join("", capped).getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(AdmissionResponses.WARNINGS_BUDGET_BYTES);

    var many = IntStream.range(0, 12).mapToObj(i -> "warning " + i).toList();
    assertThat(AdmissionResponses.capWarnings(many))
        .hasSize(6)
        .startsWith("warning 0", "warning 1", "warning 2", "warning 3", "warning 4")
        .endsWith("and 7 more warning(s)");
    assertThat(AdmissionResponses.capWarnings(many.subList(0, 5))).isEqualTo(many.subList(0, 5));
  }

  @Test
  void aDowngradedPreexistingViolationIsCountedAsWarn() throws Exception {
    var h = handler(AdmissionHandlerTest::fixturePolicies);
    h.validate(Files.readAllBytes(FIXTURES.resolve("special/update-preexisting.json")));
    h.validate(Files.readAllBytes(FIXTURES.resolve("special/update-preexisting-block.json")));
    h.validate(Files.readAllBytes(FIXTURES.resolve("special/update-new-violation.json")));
    assertThat(decisions)
        .extracting(Decision::decision)
        .containsExactly("warned", "denied", "denied");
    assertThat(decisions.get(0).counted())
        .extracting(v -> v.rule().id() + "=" + v.enforcement())
        .containsExactly("port-forbidden=" + Enforcement.WARN);
    assertThat(decisions.get(1).counted())
        .extracting(v -> v.rule().id() + "=" + v.enforcement())
        .containsExactly("port-forbidden=" + Enforcement.DENY);
    assertThat(decisions.get(2).counted())
        .extracting(v -> v.rule().id() + "=" + v.enforcement())
        .containsExactly("port-forbidden=" + Enforcement.DENY);
  }

  @Test
  void anEvaluationFailureIsAnsweredForTheUid() throws Exception {
    var calls = new AtomicInteger();
    Supplier<PolicySet> failingOnce =
        () -> {
          if (calls.getAndIncrement() == 0) {
            throw new IllegalStateException("rule bug");
          }
          return fixturePolicies();
        };
    var r = handler(failingOnce).validate(Files.readAllBytes(FIXTURES.resolve("pod/denied.json")));
    var response = response(r);
    assertThat(response.path("uid").asText()).isEqualTo("uid-pod-denied");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(500);
    assertThat(response.path("status").path("message").asText())
        .isEqualTo(
            "Parapet could not check this object: request could not be evaluated"
                + " (IllegalStateException)");
    assertThat(decisions)
        .extracting(Decision::kind, Decision::decision)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Pod", "rejected"));
  }

  @Test
  void aBodyWithoutAUsableUidStillGetsA400() throws Exception {
    var r =
        handler(AdmissionHandlerTest::fixturePolicies)
            .validate(Files.readAllBytes(FIXTURES.resolve("special/missing-request.json")));
    assertThat(r.status()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("message").asText()).isEqualTo("missing request");
  }
}
