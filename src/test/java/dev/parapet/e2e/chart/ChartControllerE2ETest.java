package dev.parapet.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller half of issue 6's end-to-end: the rendered chart's CRDs, ServiceAccounts and RBAC
 * go onto the Fabric8 CRUD mock API server, and the packaged application runs as the controller
 * with the env of the chart's controller Deployment (leader election included). Against moto, a
 * CloudAccount whose security group allows SSH from anywhere yields a high Finding owned by the
 * account, and the account reports a successful scan.
 *
 * <p>Partial: the mock server stores RBAC without enforcing it. The only RBAC answer the controller
 * asks for itself (the leader-election SelfSubjectRulesReview) is computed from the chart's rules
 * bound to the controller's ServiceAccount, so a chart without Lease permissions fails here.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ChartControllerE2ETest {

  private static final String NS = ChartSupport.NAMESPACE;
  private static final String CONTROLLER = "parapet-controller";
  private static final String REGION = "us-east-1";
  private static final String ACCOUNT = "moto";
  private static final Path JAR = ChartController.JAR;

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static ChartSupport.Rendered chart;
  private static Process controller;
  private static Path workDir;
  private static Path log;
  private static String openGroup;

  @BeforeAll
  static void installTheChartAndStartTheController() throws Exception {
    assertThat(JAR)
        .as("the packaged application (build with ./mvnw -pl src/test -am verify)")
        .exists();
    ChartSupport.api().clear();
    chart = ChartSupport.render(Map.of());
    workDir =
        Files.createDirectories(ChartSupport.REPO_ROOT.resolve("target/e2e/chart-controller"));
    log = workDir.resolve("controller.log");

    client = ChartController.patientClient(client);
    ChartController.install(server, client, chart);

    var moto = MotoServer.shared();
    moto.reset();
    openGroup = ChartController.seedSshOpenToTheWorld(moto, REGION);
    ChartController.applyEc2OnlyPolicy(client);
    ChartController.applyMotoAccount(
        client, NS, ACCOUNT, List.of(REGION), moto.endpoint().toString());

    // The chart's env, adapted to the test host only as ChartController.env describes.
    var env = ChartController.env(chart, "parapet-controller-e2e", server.getPort());
    assertThat(env)
        .containsEntry("PARAPET_ROLE", "controller")
        .containsEntry("PARAPET_LEADER_ELECTION_ENABLED", "true")
        .containsEntry("PARAPET_LEADER_ELECTION_LEASE_NAME", CONTROLLER)
        .containsEntry("PARAPET_LEADER_ELECTION_LEASE_NAMESPACE", NS)
        .doesNotContainKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    controller = ChartController.start(env, workDir, log);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (controller != null) {
      controller.destroy();
      if (!controller.waitFor(15, TimeUnit.SECONDS)) {
        controller.destroyForcibly();
      }
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void aCloudAccountYieldsAnOwnedHighFindingAndAReadyStatus() {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .failFast(
            () ->
                assertThat(controller.isAlive())
                    .as("the controller is running" + logTail())
                    .isTrue())
        .untilAsserted(
            () -> {
              assertThat(sshFindings()).as("Findings" + logTail()).hasSize(1);
              var a = account();
              assertThat(a.getStatus()).as("CloudAccount status").isNotNull();
              assertThat(a.getStatus().lastScan()).as("lastScan").isNotNull();
              assertThat(condition(a, "ScanSucceeded")).isNotNull();
              assertThat(condition(a, "Ready")).isNotNull();
              assertThat(condition(a, "Ready").reason()).isNotEqualTo("Scanning");
            });

    var account = account();
    var finding = sshFindings().get(0);
    assertThat(finding.getMetadata().getName()).startsWith("aws-ec2-sg-ssh-open-");
    assertThat(finding.getSpec().resource().id()).isEqualTo(openGroup);
    assertThat(finding.getSpec().resource().region()).isEqualTo(REGION);
    assertThat(finding.getMetadata().getLabels())
        .containsEntry(Finding.LABEL_SEVERITY, "high")
        .containsEntry(Finding.LABEL_SOURCE, "aws")
        .containsEntry(Finding.LABEL_ACCOUNT, MotoServer.ACCOUNT_ID);
    assertThat(finding.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("CloudAccount");
              assertThat(o.getName()).isEqualTo(ACCOUNT);
              assertThat(o.getUid()).isEqualTo(account.getMetadata().getUid());
            });

    var status = account.getStatus();
    assertThat(condition(account, "Ready").status()).as(status.toString()).isEqualTo("True");
    assertThat(condition(account, "ScanSucceeded").status())
        .as(status.toString())
        .isEqualTo(Condition.TRUE);
    assertThat(status.lastScan().finishedAt()).isNotBlank();
    assertThat(status.lastScan().apiCalls()).isPositive();
    assertThat(status.lastScan().regions())
        .anySatisfy(
            r -> {
              assertThat(r.name()).isEqualTo(REGION);
              assertThat(r.state()).isEqualTo("Scanned");
            });
    assertThat(status.identity().accountId()).isEqualTo(MotoServer.ACCOUNT_ID);

    // Leader election ran with the chart's Lease name, in the release namespace.
    assertThat(
            client
                .leases()
                .inNamespace(NS)
                .withName(CONTROLLER)
                .get()
                .getSpec()
                .getHolderIdentity())
        .isNotBlank();
  }

  private static List<Finding> sshFindings() {
    return client.resources(Finding.class).inNamespace(NS).list().getItems().stream()
        .filter(f -> f.getMetadata().getName().startsWith("aws-ec2-sg-ssh-open-"))
        .filter(f -> openGroup.equals(f.getSpec().resource().id()))
        .toList();
  }

  private static CloudAccount account() {
    return client.resources(CloudAccount.class).inNamespace(NS).withName(ACCOUNT).get();
  }

  private static Condition condition(CloudAccount a, String type) {
    return ChartController.condition(a, type);
  }

  private static String logTail() {
    return ChartController.logTail(log);
  }
}
