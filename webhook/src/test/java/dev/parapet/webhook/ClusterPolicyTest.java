package dev.parapet.webhook;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.PosturePolicy;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Policies from the cluster: the webhook follows PosturePolicy and Namespace informers on the
 * Fabric8 CRUD mock server (no policy file), falls back to the safe default without policies, and
 * keeps the last valid version of a policy that becomes invalid.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(ClusterPolicyTest.FromCluster.class)
class ClusterPolicyTest {
  /** No policy file: policies come from the (mock) cluster. */
  public static class FromCluster implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("parapet.webhook.policy-file", "");
    }
  }

  @Inject KubernetesClient client;

  static final String POLICY =
      """
      apiVersion: parapet.dev/v1alpha1
      kind: PosturePolicy
      metadata:
        name: production
      spec:
        admission:
          enforcement: %s
          namespaceSelector:
            matchLabels:
              env: production
          %s
      """;

  static PosturePolicy policy(String enforcement, String extra) {
    return Serialization.unmarshal(POLICY.formatted(enforcement, extra), PosturePolicy.class);
  }

  static String decide() throws Exception {
    var body = Files.readAllBytes(Path.of("src/test/resources/admission/pod/denied.json"));
    return given().contentType("application/json").body(body).post("/validate").asString();
  }

  static void awaitDecision(String... fragments) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              var r = decide();
              for (var f : fragments) {
                if (!r.contains(f)) {
                  return false;
                }
              }
              return true;
            });
  }

  @Test
  void followsPosturePoliciesAndNamespaceLabels() {
    // No PosturePolicy: the safe default warns.
    awaitDecision("\"allowed\":true", "policy parapet-default]");

    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("prod")
                .addToLabels("env", "production")
                .endMetadata()
                .build())
        .create();
    client.resource(policy("Deny", "")).create();
    awaitDecision("\"allowed\":false", "\"code\":403", "policy production]");

    client.resource(policy("Warn", "")).update();
    awaitDecision("\"allowed\":true", "\"warnings\"", "policy production]");

    // An invalid version (unknown rule id) keeps the last valid one in force.
    client.resource(policy("Deny", "ruleEnforcement: {no-such-rule: Audit}")).update();
    await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
    awaitDecision("\"allowed\":true", "\"warnings\"", "policy production]");

    // Relabel the namespace out of the selector: no policy selects it, the pod is allowed.
    client.resource(policy("Deny", "")).update();
    awaitDecision("\"allowed\":false", "policy production]");
    client
        .namespaces()
        .withName("prod")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("env", "dev");
              return n;
            });
    awaitDecision("{\"uid\":\"uid-pod-denied\",\"allowed\":true}");

    client.resources(PosturePolicy.class).withName("production").delete();
    awaitDecision("\"allowed\":true", "policy parapet-default]");
  }
}
