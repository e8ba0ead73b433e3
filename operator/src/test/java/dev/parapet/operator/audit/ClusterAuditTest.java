package dev.parapet.operator.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.operator.testing.Crds;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controller audits existing workloads with the admission rules and writes Findings. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ClusterAuditTest {

  /** Clearly fake, but shaped like a real key (documented example keys are allowlisted). */
  static final String FAKE_KEY = "AKIAQSAJ2XUID5ZZZZG6";

  @Inject KubernetesClient client;
  @Inject ClusterAudit audit;

  @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
  java.net.URL metrics;

  static Deployment deployment(String ns, String name, String keyValue) {
    var env =
        keyValue == null
            ? new EnvVarBuilder()
                .withName("AWS_ACCESS_KEY_ID")
                .withNewValueFrom()
                .withNewSecretKeyRef("id", "aws", false)
                .endValueFrom()
                .build()
            : new EnvVarBuilder().withName("AWS_ACCESS_KEY_ID").withValue(keyValue).build();
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/app:1")
        .withEnv(env)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  List<Finding> findings(String ns) {
    return client.resources(Finding.class).inNamespace(ns).list().getItems().stream()
        .filter(f -> f.getSpec().source() == FindingSpec.Source.KUBERNETES)
        .toList();
  }

  @Test
  void deploymentWithALiteralAwsKeyYieldsARedactedKubernetesFindingThatResolvesWhenFixed() {
    Crds.apply(client);
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
        .create();
    client
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("kube-system").endMetadata().build())
        .createOr(n -> n.update());
    var created = client.resource(deployment("shop", "web", FAKE_KEY)).create();
    client.resource(deployment("kube-system", "sys", FAKE_KEY)).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> findings("shop").stream().anyMatch(f -> f.getStatus() != null));
    var f =
        findings("shop").stream()
            .filter(x -> x.getSpec().rule().id().equals("aws-access-key-id"))
            .findFirst()
            .orElseThrow();
    assertThat(f.getMetadata().getName())
        .startsWith("aws-access-key-id-")
        .hasSizeLessThanOrEqualTo(63);
    assertThat(f.getMetadata().getLabels())
        .containsEntry("parapet.dev/source", "kubernetes")
        .containsEntry("parapet.dev/rule", "aws-access-key-id")
        .containsKey("parapet.dev/severity");
    assertThat(f.getSpec().resource().kind()).isEqualTo("Deployment");
    assertThat(f.getSpec().resource().name()).isEqualTo("web");
    assertThat(f.getSpec().resource().namespace()).isEqualTo("shop");
    assertThat(f.getSpec().resource().id()).isEqualTo("Deployment/web");
    assertThat(f.getSpec().message()).contains("AKIA").doesNotContain(FAKE_KEY);
    assertThat(f.getSpec().remediation().text()).isNotBlank();
    assertThat(f.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Deployment");
              assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
            });
    assertThat(f.toString()).doesNotContain(FAKE_KEY);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> findings("shop").stream().allMatch(x -> x.getStatus() != null));
    assertThat(f.getStatus() == null ? FindingStatus.State.OPEN : f.getStatus().state())
        .isEqualTo(FindingStatus.State.OPEN);
    // An unchanged cluster audited again writes nothing.
    assertThat(audit.run().writes()).isZero();
    io.restassured.RestAssured.given()
        .get(metrics)
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.containsString("parapet_findings{"))
        .body(org.hamcrest.Matchers.containsString("source=\"kubernetes\""))
        .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(FAKE_KEY)));
    // kube-system is excluded from the audit
    assertThat(findings("kube-system")).isEmpty();

    // Move the key to a Secret reference: the finding resolves on the next audit.
    client.resource(deployment("shop", "web", null)).update();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                        .resources(Finding.class)
                        .inNamespace("shop")
                        .withName(f.getMetadata().getName())
                        .get()
                        .getStatus()
                        .state()
                    == FindingStatus.State.RESOLVED);
  }
}
