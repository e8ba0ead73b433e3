package dev.parapet.operator.cloudaccount;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The smoke test against a real API server: k3s started by Quarkus Dev Services (Testcontainers).
 * Opt-in with {@code ./mvnw -pl operator -am verify -Pk3s}; it needs a Docker engine, so it is
 * never run on the project's CI machines and counts as untested there.
 */
@QuarkusTest
@TestProfile(CloudAccountK3sIT.K3s.class)
class CloudAccountK3sIT {

  /** Dev Services with the k3s flavour instead of the mock server. */
  public static class K3s implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.devservices.enabled", "true",
          "quarkus.kubernetes-client.devservices.enabled", "true",
          "quarkus.kubernetes-client.devservices.flavor", "k3s");
    }
  }

  @Inject KubernetesClient client;

  @Test
  void operatorReportsConditionsOnANewCloudAccount() {
    CloudAccountSmokeTest.assertOperatorReportsConditions(client);
  }
}
