package dev.parapet.operator.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.testing.Crds;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PARAPET_ROLE=webhook: no controller, no scan, no audit; health and metrics still served. */
@QuarkusTest
@TestProfile(WebhookRoleTest.WebhookRole.class)
@WithKubernetesTestServer(crud = true)
class WebhookRoleTest {

  /** The webhook role. */
  public static class WebhookRole implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("parapet.role", "webhook");
    }
  }

  @Inject KubernetesClient client;
  @Inject ParapetConfig config;

  @TestHTTPResource(value = "/health/ready", management = true)
  URL ready;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Test
  void controllersDoNotRunButHealthAndMetricsAnswer() throws Exception {
    assertThat(config.role()).isEqualTo(ParapetConfig.Role.webhook);
    Crds.apply(client);
    var a = new CloudAccount();
    a.setMetadata(new ObjectMetaBuilder().withName("ignored").withNamespace("default").build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS, "123456789012", List.of("us-east-1"), null, null, null));
    client.resource(a).create();
    Thread.sleep(3000);
    assertThat(
            client
                .resources(CloudAccount.class)
                .inNamespace("default")
                .withName("ignored")
                .get()
                .getStatus())
        .isNull();

    // The policy store synced from the (mock) cluster: the webhook's own check is UP.
    given()
        .get(ready)
        .then()
        .statusCode(200)
        // GPath, not a substring: the health JSON may or may not be pretty-printed.
        .body("checks.find { it.name == 'parapet-webhook-policies' }.status", equalTo("UP"))
        .body(
            "checks.find { it.name == 'parapet-webhook-policies' }.data.policies",
            equalTo("loaded"));
    given().get(metrics).then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
  }
}
