package dev.parapet.operator.cloudaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.operator.testing.Crds;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Smoke test: the packaged beans react to a CloudAccount on the mock server with a status. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class CloudAccountSmokeTest {

  @Inject KubernetesClient client;

  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  @Test
  void operatorReportsConditionsOnANewCloudAccount() {
    assertOperatorReportsConditions(client);
    io.restassured.RestAssured.given()
        .get(ready)
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.containsString("parapet-controllers"));
  }

  /** Shared with {@link CloudAccountK3sIT}, which runs it against k3s (opt-in, needs Docker). */
  static void assertOperatorReportsConditions(KubernetesClient client) {
    Crds.apply(client);
    var a = new CloudAccount();
    a.setMetadata(new ObjectMetaBuilder().withName("smoke").withNamespace("default").build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS,
            "123456789012",
            List.of("us-east-1"),
            null,
            null,
            "http://127.0.0.1:9"));
    client.resource(a).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              var s =
                  client
                      .resources(CloudAccount.class)
                      .inNamespace("default")
                      .withName("smoke")
                      .get()
                      .getStatus();
              return s != null
                  && s.conditions() != null
                  && s.conditions().stream().anyMatch(c -> c.type().equals("ScanSucceeded"));
            });
    var status =
        client
            .resources(CloudAccount.class)
            .inNamespace("default")
            .withName("smoke")
            .get()
            .getStatus();
    assertThat(status.observedGeneration()).isEqualTo(1L);
    assertThat(status.conditions())
        .extracting(c -> c.type())
        .contains("Ready", "CredentialsValid", "ScanSucceeded");
    assertThat(status.conditions())
        .allSatisfy(
            c -> {
              assertThat(c.reason()).isNotBlank();
              assertThat(c.message()).isNotBlank();
              assertThat(c.lastTransitionTime()).isNotBlank();
            });
    assertThat(status.requiredPermissions()).contains("sts:GetCallerIdentity");
  }
}
