package dev.parapet.e2e.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.e2e.chart.ChartController;
import dev.parapet.e2e.chart.ChartSupport;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller role from the built image with the chart's env, securityContext and memory limit,
 * against the Fabric8 CRUD mock API server and moto, both on 127.0.0.1 ({@code --network=host}: the
 * container reaches them on loopback, and binds its own ports to 127.0.0.1 only). The env is the
 * chart's controller env adapted exactly as {@link ChartController#env} describes for the
 * packaged-app test, plus QUARKUS_HTTP_HOST / QUARKUS_MANAGEMENT_HOST=127.0.0.1 because the host's
 * network is shared.
 *
 * <p>Partial: the mock server stores the chart's RBAC without enforcing it; the container with a
 * mounted ServiceAccount token against a real API server is not covered here.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ImageControllerE2ETest {

  private static final String NS = ChartSupport.NAMESPACE;
  private static final String REGION = "us-east-1";

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static String container;
  private static String openGroup;
  private static int managementPort;
  private static double readySeconds;

  @BeforeAll
  static void installTheChartAndStartTheControllerFromTheImage() throws Exception {
    Podman.requireWorking();
    var image = Podman.image();
    var chart = ChartSupport.render(Map.of());
    client = ChartController.patientClient(client);
    ChartController.install(server, client, chart);

    var moto = MotoServer.shared();
    moto.reset();
    openGroup = ChartController.seedSshOpenToTheWorld(moto, REGION);
    ChartController.applyEc2OnlyPolicy(client);
    ChartController.applyMotoAccount(
        client, NS, "moto", List.of(REGION), moto.endpoint().toString());

    var deployment = chart.one(Deployment.class, ChartController.NAME);
    Container spec = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(spec.getImage()).isEqualTo(image);
    var security = spec.getSecurityContext();
    var env = ChartController.env(chart, "parapet-controller-image-e2e", server.getPort());
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
    managementPort = Integer.parseInt(env.get("QUARKUS_MANAGEMENT_PORT"));

    var args = new ArrayList<String>(List.of("run", "-d", "--network=host"));
    args.addAll(
        Podman.chartSecurityFlags(
            security.getRunAsUser(),
            security.getRunAsGroup(),
            Podman.memory(spec.getResources().getLimits().get("memory").toString())));
    env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
    args.add(image);
    var started = System.nanoTime();
    container = Podman.ok(Duration.ofSeconds(120), args.toArray(String[]::new)).trim();
    readySeconds = Podman.awaitHttp200(container, managementPort, "/q/health/ready", started);
    var status = Podman.procStatus(Podman.pid(container));
    System.out.printf(
        "image e2e: controller role ready %.1f s after podman run; RSS %s (limit %s)%n",
        readySeconds, status.get("VmRSS"), spec.getResources().getLimits().get("memory"));
  }

  @AfterAll
  static void removeTheContainer() {
    Podman.removeOwnContainers();
    if (client != null) {
      client.close();
    }
  }

  @Test
  void theControllerInTheImageWritesTheFindingOfAnOpenSshGroup() {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(sshFindings())
                    .as("Findings written by the container" + Podman.logs(container))
                    .hasSize(1));
    var finding = sshFindings().get(0);
    assertThat(finding.getSpec().resource().region()).isEqualTo(REGION);
    assertThat(finding.getMetadata().getLabels())
        .containsEntry(Finding.LABEL_SEVERITY, "high")
        .containsEntry(Finding.LABEL_ACCOUNT, MotoServer.ACCOUNT_ID);
    // Leader election with the chart's Lease, from inside the container.
    assertThat(client.leases().inNamespace(NS).withName(ChartController.NAME).get())
        .as("the chart's Lease")
        .isNotNull();
  }

  private static List<Finding> sshFindings() {
    return client.resources(Finding.class).inNamespace(NS).list().getItems().stream()
        .filter(f -> f.getMetadata().getName().startsWith("aws-ec2-sg-ssh-open-"))
        .filter(f -> openGroup.equals(f.getSpec().resource().id()))
        .toList();
  }
}
