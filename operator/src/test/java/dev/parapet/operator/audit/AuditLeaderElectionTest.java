package dev.parapet.operator.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.operator.config.Leadership;
import dev.parapet.testing.Crds;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * With leader election on (JOSDK's own elector, through QOSDK, against the mock server's Lease), a
 * replica that does not hold the Lease runs no cluster audit and writes no Findings; it starts
 * auditing once it acquires the Lease and stops when it loses it.
 */
@QuarkusTest
@TestProfile(AuditLeaderElectionTest.LeaderElectionOn.class)
@WithKubernetesTestServer(crud = true, setup = AuditLeaderElectionTest.LeaseHeldElsewhere.class)
class AuditLeaderElectionTest {

  static final String LEASE_NS = "parapet-system";
  static final String LEASE = "parapet-controller";

  /** Leader election activated for the test profile (QOSDK activates it only in prod). */
  public static class LeaderElectionOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.operator-sdk.activate-leader-election-for-profiles", "test",
          "parapet.leader-election.enabled", "true",
          "parapet.leader-election.lease-name", LEASE,
          "parapet.leader-election.lease-namespace", LEASE_NS,
          // JOSDK would otherwise System.exit(1) when this replica stops leading.
          "parapet.leader-election.exit-on-stop-leading", "false");
    }
  }

  /**
   * Before the application starts: the Lease is held by another replica (renewed "in the future",
   * so it cannot expire while the test runs), and the RBAC self-check JOSDK makes before electing
   * (a SelfSubjectRulesReview, which the CRUD mock cannot answer) says leases may be managed.
   */
  public static class LeaseHeldElsewhere implements Consumer<KubernetesServer> {
    @Override
    public void accept(KubernetesServer server) {
      server
          .expect()
          .post()
          .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
          .andReturn(
              201,
              new SelfSubjectRulesReviewBuilder()
                  .withNewStatus()
                  .withIncomplete(false)
                  .withResourceRules(
                      new ResourceRuleBuilder()
                          .withApiGroups("coordination.k8s.io")
                          .withResources("leases")
                          .withVerbs("get", "create", "update")
                          .build())
                  .endStatus()
                  .build())
          .always();
      server.getClient().resource(heldBy("replica-a")).create();
    }
  }

  static Lease heldBy(String identity) {
    var renewed = ZonedDateTime.now(ZoneOffset.UTC).plusHours(1);
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(LEASE)
        .withNamespace(LEASE_NS)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(identity)
        .withLeaseDurationSeconds(15)
        .withAcquireTime(renewed)
        .withRenewTime(renewed)
        .withLeaseTransitions(0)
        .endSpec()
        .build();
  }

  @Inject KubernetesClient client;
  @Inject ClusterAudit audit;
  @Inject Leadership leadership;

  List<Finding> auditFindings(String ns) {
    return client.resources(Finding.class).inNamespace(ns).list().getItems().stream()
        .filter(f -> f.getSpec().source() == FindingSpec.Source.KUBERNETES)
        .toList();
  }

  String holder() {
    var lease = client.leases().inNamespace(LEASE_NS).withName(LEASE).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  @Test
  void onlyTheLeaseHolderAudits() {
    Crds.apply(client);
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
        .create();
    client.resource(ClusterAuditTest.deployment("shop", "web", ClusterAuditTest.FAKE_KEY)).create();

    // Not the leader: no informers, no periodic audit, no Findings (the audit would write one for
    // this Deployment within about a second).
    await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(8))
        .until(() -> !leadership.leading() && !audit.running() && auditFindings("shop").isEmpty());
    assertThat(holder()).isEqualTo("replica-a");

    // The other replica goes away: this one takes the Lease and starts auditing.
    client.leases().inNamespace(LEASE_NS).withName(LEASE).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> leadership.leading() && audit.running());
    assertThat(holder()).isNotNull().isNotEqualTo("replica-a");
    await().atMost(Duration.ofSeconds(30)).until(() -> !auditFindings("shop").isEmpty());

    // Another replica takes the Lease over: this one stops leading and stops the audit.
    // Like a real replica, it retries when its write races this replica's renewal (HTTP 409).
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .until(
            () -> {
              client.leases().inNamespace(LEASE_NS).withName(LEASE).edit(l -> heldByOther(l));
              return true;
            });
    await().atMost(Duration.ofSeconds(40)).until(() -> !leadership.leading() && !audit.running());
  }

  static Lease heldByOther(Lease current) {
    var other = heldBy("replica-c");
    current.setSpec(other.getSpec());
    return current;
  }
}
