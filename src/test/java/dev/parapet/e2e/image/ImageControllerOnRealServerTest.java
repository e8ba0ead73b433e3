package dev.parapet.e2e.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.e2e.chart.ChartController;
import dev.parapet.e2e.chart.ChartSupport;
import dev.parapet.e2e.kube.AuditLog;
import dev.parapet.e2e.kube.KubeCluster;
import dev.parapet.e2e.kube.RealChart;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image, the chart's RBAC and the real API server proven together: the chart installed by Helm
 * on the real kube-apiserver (dev.parapet.e2e.kube.KubeCluster), the controller role started from
 * the built image with the chart's env, securityContext and memory limit, and what a pod would have
 * mounted at /var/run/secrets/kubernetes.io/serviceaccount: a TokenRequest token of the chart's
 * controller ServiceAccount, the cluster CA and the namespace. The Fabric8 client in the container
 * finds the API server as in a pod, from KUBERNETES_SERVICE_HOST/PORT (127.0.0.1 and the test
 * server's port: the container shares the host network, its own ports bound to 127.0.0.1). A
 * moto-backed CloudAccount must yield a Finding, written by that ServiceAccount (the audit log says
 * who wrote it), so a missing permission in the chart's RBAC fails here.
 *
 * <p>Not covered: a kubelet (the token is not rotated or projected with an audience).
 */
class ImageControllerOnRealServerTest {

  /** A release namespace of its own: the other real-server tests use the chart's default. */
  private static final String NS = "parapet-image";

  private static final String REGION = "us-east-1";
  private static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  private static KubeCluster cluster;
  private static KubernetesClient admin;
  private static String container;
  private static String openGroup;

  @BeforeAll
  static void installTheChartAndStartTheControllerFromTheImage() throws Exception {
    Podman.requireWorking();
    var image = Podman.image();
    cluster = KubeCluster.shared();
    admin = cluster.admin();
    RealChart.applyCrds(cluster);
    cluster.kubectl("create", "namespace", NS);
    Map<String, Object> values = Map.of();
    RealChart.install(cluster, NS, values);
    var chart = ChartSupport.render(NS, values);

    var moto = MotoServer.shared();
    moto.reset();
    openGroup = ChartController.seedSshOpenToTheWorld(moto, REGION);
    ChartController.applyEc2OnlyPolicy(admin);
    ChartController.applyMotoAccount(
        admin, NS, "moto", List.of(REGION), moto.endpoint().toString());

    // The ServiceAccount volume as the kubelet projects it (files 0644).
    var work =
        Files.createDirectories(ChartSupport.REPO_ROOT.resolve("target/e2e/image/real-server"));
    var sa = Files.createDirectories(work.resolve("serviceaccount"));
    Files.writeString(sa.resolve("token"), cluster.token(NS, ChartController.NAME));
    Files.copy(
        cluster.caCert(), sa.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(sa.resolve("namespace"), NS);
    for (var f : List.of("token", "ca.crt", "namespace")) {
      Files.setPosixFilePermissions(sa.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
    }

    var deployment = chart.one(Deployment.class, ChartController.NAME);
    var spec = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(spec.getImage()).isEqualTo(image);
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(ChartController.NAME);
    var security = spec.getSecurityContext();
    var env = ChartSupport.chartEnv(deployment, NS, "parapet-controller-image-real");
    var management = ChartSupport.freePort();
    env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
    env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
    env.put("QUARKUS_HTTP_PORT", String.valueOf(ChartSupport.freePort()));
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
    env.put("KUBERNETES_SERVICE_PORT", String.valueOf(cluster.port()));
    assertThat(env).doesNotContainKeys("KUBECONFIG", "KUBERNETES_MASTER", "KUBERNETES_NAMESPACE");

    var args = new ArrayList<String>(List.of("run", "-d", "--network=host"));
    args.addAll(
        Podman.chartSecurityFlags(
            security.getRunAsUser(),
            security.getRunAsGroup(),
            Podman.memory(spec.getResources().getLimits().get("memory").toString())));
    args.add("--cpus=" + Podman.cpus(spec.getResources().getLimits().get("cpu").toString()));
    args.addAll(List.of("-v", sa + ":" + SA_DIR + ":ro"));
    env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
    args.add(image);
    var started = System.nanoTime();
    container = Podman.ok(Duration.ofSeconds(120), args.toArray(String[]::new)).trim();
    var ready = Podman.awaitHttp200(container, management, "/q/health/ready", started);
    var status = Podman.procStatus(Podman.pid(container));
    System.out.printf(
        "image e2e: controller role on the real API server ready %.1f s after podman run; RSS %s%n",
        ready, status.get("VmRSS"));
  }

  @AfterAll
  static void removeTheContainerAndUninstall() {
    Podman.removeOwnContainers();
    if (cluster != null) {
      cluster.kubectl("delete", "cloudaccounts", "--all", "-n", NS, "--wait=false");
      cluster.kubectl("delete", "posturepolicy", "e2e-ec2", "--ignore-not-found");
      RealChart.uninstall(cluster, NS);
    }
  }

  @Test
  void theControllerInTheImageWritesFindingsWithTheChartsServiceAccount() {
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
    var account = admin.resources(CloudAccount.class).inNamespace(NS).withName("moto").get();
    assertThat(finding.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(account.getMetadata().getUid()));

    var user = "system:serviceaccount:" + NS + ":" + ChartController.NAME;
    var writes = AuditLog.writesBy(cluster, user, Set.of("findings"), 0);
    assertThat(writes)
        .as("Finding writes by the chart's controller ServiceAccount (audit log)")
        .anySatisfy(w -> assertThat(w.name()).isEqualTo(finding.getMetadata().getName()));
    // Leader election on, with the chart's Lease, under the chart's RBAC.
    assertThat(
            admin
                .leases()
                .inNamespace(NS)
                .withName(ChartController.NAME)
                .get()
                .getSpec()
                .getHolderIdentity())
        .isEqualTo("parapet-controller-image-real");
    assertThat(admin.resources(PosturePolicy.class).withName("e2e-ec2").get()).isNotNull();
  }

  /**
   * The controller in the chart's pod shape (1 CPU, the chart's memory limit: the serial collector,
   * where the image build's training run had the build host's G1) uses the image's CDS archive, and
   * the JVM prints no start-up warning (JDK 25's sun.misc.Unsafe notice among them): every log line
   * is JSON but the launcher's note that it read JDK_JAVA_OPTIONS.
   */
  @Test
  void theControllerUsesTheImagesCdsArchiveAndTheJvmWarnsOfNothing() throws Exception {
    assertThat(Podman.mapsTheCdsArchive(container))
        .as("the controller's JVM maps " + Podman.CDS_ARCHIVE + Podman.logs(container))
        .isTrue();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var lines = Podman.run(Duration.ofSeconds(30), "logs", container).both().lines().toList();
    for (var line : lines.stream().filter(l -> !l.isBlank()).toList()) {
      if (!line.startsWith("NOTE: Picked up JDK_JAVA_OPTIONS:")) {
        assertThat(line).as("a log line that is not JSON").startsWith("{");
        assertThat(json.readTree(line).path("level").asText()).as(line).isNotBlank();
      }
    }
  }

  private static List<Finding> sshFindings() {
    return admin.resources(Finding.class).inNamespace(NS).list().getItems().stream()
        .filter(f -> f.getMetadata().getName().startsWith("aws-ec2-sg-ssh-open-"))
        .filter(f -> openGroup.equals(f.getSpec().resource().id()))
        .toList();
  }
}
