package dev.parapet.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.AwsOrganization;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.organizations.OrganizationsClient;

/**
 * An AwsOrganization on the real API server with the packaged controller under the chart's RBAC:
 * the controller creates one CloudAccount per member (server-side apply of status, owner
 * references), the scans assume the member role, and deleting the organization lets the
 * controller-manager's garbage collector delete its CloudAccounts (whose finalizers run first).
 */
class OrganizationOnRealServerTest {

  private static final String ORGS = "team-orgs";

  private static RealControllers chart;
  private static KubeCluster cluster;
  private static KubernetesClient admin;
  private static RealController controller;
  private static MotoServer moto;
  private static Set<String> members;

  @BeforeAll
  static void installAndStart() {
    // The operator's own identity (default chain) is the base of the member AssumeRole; moto
    // accepts any key. No instance metadata lookups: the test dials only 127.0.0.1. No Secret is
    // read (secretNamespaces stays the chart's empty default).
    chart =
        RealControllers.install(
            List.of(),
            "controller.extraEnv",
            List.of(
                Map.of("name", "AWS_ACCESS_KEY_ID", "value", MotoServer.ACCESS_KEY_ID),
                Map.of("name", "AWS_SECRET_ACCESS_KEY", "value", MotoServer.SECRET_ACCESS_KEY),
                Map.of("name", "AWS_EC2_METADATA_DISABLED", "value", "true")));
    cluster = chart.cluster();
    admin = chart.client();
    cluster.kubectl("create", "namespace", ORGS);

    moto = MotoServer.shared();
    moto.reset();
    try (var orgs = new AwsSeed(moto).client(OrganizationsClient.builder(), "us-east-1")) {
      orgs.createOrganization(r -> r.featureSet("ALL"));
      members = new TreeSet<>();
      for (var name : List.of("payments", "search")) {
        members.add(
            orgs.createAccount(r -> r.accountName(name).email(name + "@example.com"))
                .createAccountStatus()
                .accountId());
      }
    }
    controller = chart.start("parapet-controller-org-0");
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .failFast(
            () ->
                assertThat(controller.alive())
                    .as("controller running" + controller.logTail())
                    .isTrue())
        .until(() -> controller.podName().equals(chart.leader()));
  }

  @AfterAll
  static void stopAndUninstall() {
    if (chart != null) {
      cluster.kubectl("delete", "awsorganizations", "--all", "-A", "--wait=false");
      cluster.kubectl("delete", "cloudaccounts", "--all", "-A", "--wait=false");
      chart.close();
    }
  }

  private static List<CloudAccount> accounts() {
    return admin.resources(CloudAccount.class).inNamespace(ORGS).list().getItems();
  }

  @Test
  void theOrganizationOwnsOneCloudAccountPerMemberAndTheirDeletionCascades() {
    var apply =
        cluster.kubectlWithInput(
            """
            apiVersion: parapet.dev/v1alpha1
            kind: AwsOrganization
            metadata: {name: acme, namespace: %s}
            spec:
              endpointOverride: "%s"
              memberRole: {name: parapet-scan}
              accounts: {exclude: ["%s"]}
              template:
                regions: [us-east-1]
                scan: {interval: 6h, services: {include: [sns]}}
            """
                .formatted(ORGS, moto.endpoint(), MotoServer.ACCOUNT_ID),
            "apply",
            "-f",
            "-");
    assertThat(apply.exit()).as(apply.all()).isZero();
    await()
        .atMost(Duration.ofMinutes(2))
        .failFast(() -> assertThat(controller.alive()).as(controller.logTail()).isTrue())
        .untilAsserted(
            () -> {
              Set<String> ids =
                  accounts().stream()
                      .map(a -> a.getSpec().accountId())
                      .collect(Collectors.toCollection(TreeSet::new));
              assertThat(ids).as(controller.logTail()).isEqualTo(members);
            });
    var org = admin.resources(AwsOrganization.class).inNamespace(ORGS).withName("acme").get();
    assertThat(accounts())
        .allSatisfy(
            a ->
                assertThat(a.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getUid()).isEqualTo(org.getMetadata().getUid())));
    // Each scan assumed the member role and found itself in the member account.
    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () ->
                assertThat(accounts())
                    .allSatisfy(
                        a -> {
                          assertThat(a.getStatus()).isNotNull();
                          assertThat(a.getStatus().identity()).isNotNull();
                          assertThat(a.getStatus().identity().accountId())
                              .isEqualTo(a.getSpec().accountId());
                        }));
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () -> {
              var status =
                  admin
                      .resources(AwsOrganization.class)
                      .inNamespace(ORGS)
                      .withName("acme")
                      .get()
                      .getStatus();
              assertThat(status).isNotNull();
              assertThat(status.accounts().total()).isEqualTo(3);
              assertThat(status.accounts().excluded()).isEqualTo(1);
              assertThat(status.accounts().managed()).isEqualTo(2);
              assertThat(status.accounts().unreachable()).isZero();
            });

    var deleted =
        cluster.kubectl("delete", "awsorganization", "-n", ORGS, "acme", "--timeout=120s");
    assertThat(deleted.exit()).as(deleted.all()).isZero();
    // The garbage collector deletes the owned CloudAccounts; their finalizers (the controller's
    // Finding cleanup) run before they go.
    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(() -> assertThat(accounts()).as(controller.logTail()).isEmpty());
  }
}
