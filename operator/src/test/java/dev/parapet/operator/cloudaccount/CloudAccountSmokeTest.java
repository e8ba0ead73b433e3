package dev.parapet.operator.cloudaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.testing.Crds;
import dev.parapet.testing.MotoTestResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Smoke test: the packaged beans react to a CloudAccount on the mock server with a status. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(MotoTestResource.class)
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
    // The endpoint answers nothing: the credentials cannot be verified, and a Warning says so.
    var status =
        client
            .resources(CloudAccount.class)
            .inNamespace("default")
            .withName("smoke")
            .get()
            .getStatus();
    assertThat(status.conditions())
        .anySatisfy(
            c -> {
              assertThat(c.type()).isEqualTo("CredentialsValid");
              assertThat(c.status()).isEqualTo("False");
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace("default").list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getInvolvedObject().getName()).isEqualTo("smoke");
                          assertThat(e.getType()).isEqualTo("Warning");
                        }));
  }

  /** The Quarkus moto test resource's endpoint and fake keys, used the way a user would. */
  @Test
  void accountOnTheMotoTestResourceScansWithVerifiedIdentity() {
    Crds.apply(client);
    var config = ConfigProvider.getConfig();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("moto-keys")
                .withNamespace("default")
                .endMetadata()
                .withStringData(
                    Map.of(
                        "aws_access_key_id",
                        config.getValue("parapet.test.aws.access-key-id", String.class),
                        "aws_secret_access_key",
                        config.getValue("parapet.test.aws.secret-access-key", String.class)))
                .build())
        .create();
    var accountId = config.getValue("parapet.test.aws.account-id", String.class);
    var a = new CloudAccount();
    a.setMetadata(new ObjectMetaBuilder().withName("moto").withNamespace("default").build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS,
            accountId,
            List.of(config.getValue("parapet.test.aws.region", String.class)),
            new CloudAccountSpec.Credentials(
                null, new CloudAccountSpec.SecretRef("moto-keys", null, null, null)),
            new CloudAccountSpec.Scan(
                "6h", null, new CloudAccountSpec.Services(List.of("ec2"), null)),
            config.getValue("parapet.test.aws.endpoint", String.class)));
    client.resource(a).create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              var s =
                  client
                      .resources(CloudAccount.class)
                      .inNamespace("default")
                      .withName("moto")
                      .get()
                      .getStatus();
              assertThat(s).isNotNull();
              assertThat(s.lastScan()).isNotNull();
              assertThat(s.identity().accountId()).isEqualTo(accountId);
              assertThat(s.conditions())
                  .filteredOn(c -> c.type().equals("CredentialsValid"))
                  .singleElement()
                  .satisfies(c -> assertThat(c.status()).isEqualTo("True"));
              assertThat(s.lastScan().apiCalls()).isPositive();
            });
  }

  /** Shared with {@link CloudAccountK3sIT}, which runs it against k3s (opt-in, needs Docker). */
  static void assertOperatorReportsConditions(KubernetesClient client) {
    Crds.apply(client);
    var a = new CloudAccount();
    a.setMetadata(new ObjectMetaBuilder().withName("smoke").withNamespace("default").build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS,
            // Not the moto account of the other test in this namespace: a second CloudAccount of
            // one AWS account in a namespace is held back as DuplicateAccount.
            "210987654321",
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
