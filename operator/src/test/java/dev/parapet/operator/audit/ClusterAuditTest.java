package dev.parapet.operator.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.testing.Crds;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
  @Inject dev.parapet.operator.paths.CloudIdentity cloudIdentity;

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
    // Other tests of this class may have left changes for the next audit (a deleted policy's
    // waived finding reopens): audit them now, so the "writes nothing" below is about this test.
    audit.run();
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

  static OwnerReference controller(String apiVersion, String kind, String name) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withName(name)
        .withUid(java.util.UUID.randomUUID().toString())
        .withController(true)
        .build();
  }

  static void namespace(KubernetesClient client, String name) {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(n -> n.update());
  }

  List<String> flaggedObjects(String ns) {
    return findings(ns).stream()
        .filter(f -> f.getSpec().rule().id().equals("aws-access-key-id"))
        .filter(f -> f.getStatus() == null || f.getStatus().state() == FindingStatus.State.OPEN)
        .map(f -> f.getSpec().resource().kind() + "/" + f.getSpec().resource().name())
        .sorted()
        .toList();
  }

  @Test
  void workloadsControlledByAnotherOperatorAreAuditedButPodsOfAuditedWorkloadsAreNot() {
    Crds.apply(client);
    namespace(client, "ops");
    // A Deployment managed by another operator's custom resource: audited itself.
    var foreign = deployment("ops", "widget-app", FAKE_KEY);
    foreign.getMetadata().setOwnerReferences(List.of(controller("example.com/v1", "Widget", "w")));
    client.resource(foreign).create();
    // A ReplicaSet of an Argo Rollout: audited itself.
    client
        .resource(
            replicaSet(
                "ops", "rollout-rs", controller("argoproj.io/v1alpha1", "Rollout", "rollout")))
        .create();
    // A ReplicaSet of a Deployment and a Pod of a ReplicaSet: covered by their owner's audit.
    client
        .resource(replicaSet("ops", "deploy-rs", controller("apps/v1", "Deployment", "widget-app")))
        .create();
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("deploy-rs-x1")
                .withNamespace("ops")
                .withOwnerReferences(controller("apps/v1", "ReplicaSet", "deploy-rs"))
                .endMetadata()
                .withSpec(deployment("ops", "x", FAKE_KEY).getSpec().getTemplate().getSpec())
                .build())
        .create();

    await().atMost(Duration.ofSeconds(30)).until(() -> flaggedObjects("ops").size() >= 2);
    audit.run();
    assertThat(flaggedObjects("ops"))
        .containsExactly("Deployment/widget-app", "ReplicaSet/rollout-rs");
  }

  static ReplicaSet replicaSet(String ns, String name, OwnerReference owner) {
    var template = deployment(ns, name, FAKE_KEY).getSpec().getTemplate();
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .withOwnerReferences(owner)
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withTemplate(template)
        .endSpec()
        .build();
  }

  @Test
  void aWorkloadExceptionThatWaivesAViolationIsNotReportedUnused() {
    Crds.apply(client);
    namespace(client, "legacy");
    client.resource(deployment("legacy", "legacy-web", FAKE_KEY)).create();
    var yaml =
        """
        apiVersion: parapet.dev/v1alpha1
        kind: PosturePolicy
        metadata:
          name: audit-exceptions
        spec:
          admission:
            enforcement: Audit
          exceptions:
            - name: legacy-key
              rules: [aws-access-key-id]
              match:
                namespaces: [legacy]
                names: ["legacy-*"]
              reason: legacy app, key rotation tracked in SEC-1
            - name: never-matches
              rules: [aws-access-key-id]
              match:
                names: ["nothing-here-*"]
              reason: matches no workload
            - name: cloud-only
              rules: [aws-s3-*]
              match:
                accounts: ["999999999999"]
              reason: no cloud scan runs in this test, so its use is unknown
        """;
    var policy =
        client
            .resources(PosturePolicy.class)
            .load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .item();
    client.resource(policy).create();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                var f =
                    findings("legacy").stream()
                        .filter(x -> x.getSpec().resource().name().equals("legacy-web"))
                        .findFirst();
                return f.isPresent()
                    && f.get().getStatus() != null
                    && f.get().getStatus().state() == FindingStatus.State.SUPPRESSED;
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                var st =
                    client
                        .resources(PosturePolicy.class)
                        .withName("audit-exceptions")
                        .get()
                        .getStatus();
                return st != null && st.unusedExceptions() != null;
              });
      // Only the workload exception that waived nothing: legacy-key waived the audit's finding and
      // cloud-only was never evaluated (no CloudAccount has been scanned).
      assertThat(
              client
                  .resources(PosturePolicy.class)
                  .withName("audit-exceptions")
                  .get()
                  .getStatus()
                  .unusedExceptions())
          .containsExactly("never-matches");
    } finally {
      client.resources(PosturePolicy.class).withName("audit-exceptions").delete();
    }
  }

  @Test
  void aWaivedWorkloadFindingNamesItsExceptionAndReopensRightAfterItExpires() {
    Crds.apply(client);
    namespace(client, "expiring");
    client.resource(deployment("expiring", "temp-web", FAKE_KEY)).create();
    // The periodic audit runs every 10m here: only the run scheduled at the expiry can reopen it.
    var expiresAt = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
    var yaml =
        """
        apiVersion: parapet.dev/v1alpha1
        kind: PosturePolicy
        metadata:
          name: audit-expiring
        spec:
          admission:
            enforcement: Audit
          exceptions:
            - name: temp-key
              rules: [aws-access-key-id]
              match:
                namespaces: [expiring]
              reason: rotation in progress, SEC-2
              expiresAt: "%s"
        """
            .formatted(expiresAt);
    var policy =
        client
            .resources(PosturePolicy.class)
            .load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .item();
    client.resource(policy).create();
    try {
      await()
          .atMost(Duration.ofSeconds(7))
          .until(
              () ->
                  keyFinding("expiring")
                      .map(
                          f ->
                              f.getStatus() != null
                                  && f.getStatus().state() == FindingStatus.State.SUPPRESSED)
                      .orElse(false));
      var suppressed = keyFinding("expiring").orElseThrow().getStatus();
      assertThat(Instant.now()).isBefore(expiresAt);
      assertThat(suppressed.state()).isEqualTo(FindingStatus.State.SUPPRESSED);
      assertThat(suppressed.suppressedBy())
          .isEqualTo(
              new FindingStatus.SuppressedBy(
                  "audit-expiring",
                  "temp-key",
                  "rotation in progress, SEC-2",
                  expiresAt.toString()));
      assertThat(audit.expiryRunAt()).contains(expiresAt);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  keyFinding("expiring").orElseThrow().getStatus().state()
                      == FindingStatus.State.OPEN);
      assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
      assertThat(keyFinding("expiring").orElseThrow().getStatus().suppressedBy()).isNull();
      // Nothing expires any more: no extra audit stays scheduled. Another run (an event) may
      // have reopened the Finding just before the run scheduled at the expiry fires and clears it.
      await().atMost(Duration.ofSeconds(10)).until(() -> audit.expiryRunAt().isEmpty());
    } finally {
      client.resources(PosturePolicy.class).withName("audit-expiring").delete();
    }
  }

  java.util.Optional<Finding> keyFinding(String ns) {
    return findings(ns).stream()
        .filter(f -> f.getSpec().rule().id().equals("aws-access-key-id"))
        .findFirst();
  }

  @Test
  void rbacRisksBecomeFindingsOfTheirBindingAndResolveWhenTheGrantGoesAway() {
    Crds.apply(client);
    namespace(client, "team-rbac");
    var home = audit.clusterNamespace();
    namespace(client, home);
    client
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                .withNewMetadata()
                .withName("audit-secret-reader")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("secrets")
                .withVerbs("get", "list")
                .endRule()
                .build())
        .create();
    var crb =
        client
            .resource(
                new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
                    .withNewMetadata()
                    .withName("audit-carol-secrets")
                    .endMetadata()
                    .withNewRoleRef(
                        "rbac.authorization.k8s.io", "ClusterRole", "audit-secret-reader")
                    .addNewSubject()
                    .withKind("User")
                    .withApiGroup("rbac.authorization.k8s.io")
                    .withName("carol")
                    .endSubject()
                    .build())
            .create();
    var rb =
        new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
            .withNewMetadata()
            .withName("audit-default-sa")
            .withNamespace("team-rbac")
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "audit-secret-reader")
            .addNewSubject()
            .withKind("ServiceAccount")
            .withNamespace("team-rbac")
            .withName("default")
            .endSubject()
            .build();
    client.resource(rb).create();
    // A binding in an excluded namespace (kube-system) is not audited.
    namespace(client, "kube-system");
    rb.getMetadata().setNamespace("kube-system");
    rb.getMetadata().setName("audit-system-sa");
    rb.getSubjects().get(0).setNamespace("kube-system");
    client.resource(rb).create();

    audit.run();
    // The ClusterRoleBinding's Finding lives in the controller's namespace, owned by the binding.
    var cluster = rbacFinding(home, "rbac-secrets-cluster-read").orElseThrow();
    assertThat(cluster.getSpec().resource().kind()).isEqualTo("ClusterRoleBinding");
    assertThat(cluster.getSpec().resource().name()).isEqualTo("audit-carol-secrets");
    assertThat(cluster.getSpec().resource().namespace()).isNull();
    assertThat(cluster.getSpec().message())
        .contains("User carol", "ClusterRole audit-secret-reader", "every namespace")
        .contains("get, list secrets");
    assertThat(cluster.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(crb.getMetadata().getUid()));
    // The RoleBinding's Finding lives in the binding's namespace.
    var ns = rbacFinding("team-rbac", "rbac-default-serviceaccount").orElseThrow();
    assertThat(ns.getSpec().resource().kind()).isEqualTo("RoleBinding");
    assertThat(ns.getSpec().message()).contains("ServiceAccount team-rbac/default");
    assertThat(findings("kube-system")).noneMatch(f -> f.getSpec().rule().id().startsWith("rbac-"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> findings(home).stream().allMatch(x -> x.getStatus() != null));
    assertThat(audit.run().writes()).isZero();

    // The grant goes away (the subject is replaced by a system component): resolved.
    crb.getSubjects().get(0).setName("system:kube-scheduler");
    client.resource(crb).update();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                rbacFinding(home, "rbac-secrets-cluster-read").orElseThrow().getStatus().state()
                    == FindingStatus.State.RESOLVED);
    assertThat(rbacFinding("team-rbac", "rbac-default-serviceaccount").orElseThrow())
        .satisfies(
            f ->
                assertThat(f.getStatus() == null ? null : f.getStatus().state())
                    .isNotEqualTo(FindingStatus.State.RESOLVED));
  }

  java.util.Optional<Finding> rbacFinding(String ns, String rule) {
    return findings(ns).stream().filter(f -> f.getSpec().rule().id().equals(rule)).findFirst();
  }

  @Test
  void anExposedWorkloadWithAnAdminRoleIsAnAttackPathUntilTheServiceGoes() {
    Crds.apply(client);
    namespace(client, "paths");
    var role = "arn:aws:iam::210987654321:role/web-admin";
    var admin = "arn:aws:iam::210987654321:policy/web-admin";
    client
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("paths")
                .withAnnotations(java.util.Map.of("eks.amazonaws.com/role-arn", role))
                .endMetadata()
                .build())
        .create();
    var web = deployment("paths", "web", null);
    web.getSpec().getTemplate().getSpec().setServiceAccountName("web");
    client.resource(web).create();
    var lb =
        client
            .resource(
                new io.fabric8.kubernetes.api.model.ServiceBuilder()
                    .withNewMetadata()
                    .withName("web-lb")
                    .withNamespace("paths")
                    .endMetadata()
                    .withNewSpec()
                    .withType("LoadBalancer")
                    .withSelector(java.util.Map.of("app", "web"))
                    .endSpec()
                    .build())
            .create();
    // No scan has collected the account's IAM data yet: unknown, saying the AWS side is missing.
    audit.run();
    assertThat(pathFinding("path-unknown").orElseThrow().getSpec().message())
        .contains("AWS side missing", "210987654321");

    // An AWS scan records the role: the audit runs again by itself (the join's second trigger).
    var policy =
        dev.parapet.operator.aws.collect.PolicyDocuments.parse(
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}");
    var iam =
        new dev.parapet.operator.aws.inventory.iam.AuthorizationDetails(
            List.of(
                new dev.parapet.operator.aws.inventory.iam.AuthorizationDetails.ManagedPolicy(
                    admin, "web-admin", 1, false, policy)),
            List.of(),
            1,
            java.util.Map.of(),
            List.of(
                new dev.parapet.operator.aws.inventory.iam.AuthorizationDetails.Attachments(
                    "Role", "web-admin", role, List.of(admin), List.of())),
            // The role trusts paths/web through IRSA (a path needs the trust to admit it).
            java.util.Map.of(
                role,
                dev.parapet.operator.aws.collect.PolicyDocuments.parse(
                    "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
                        + "\"arn:aws:iam::210987654321:oidc-provider/oidc.eks.example/id/EXAMPLE\"},"
                        + "\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":"
                        + "{\"StringEquals\":{\"oidc.eks.example/id/EXAMPLE:sub\":"
                        + "\"system:serviceaccount:paths:web\"}}}}")));
    cloudIdentity.record(
        dev.parapet.operator.aws.inventory.Inventory.builder("210987654321")
            .collectedAt(Instant.now())
            .known(
                dev.parapet.operator.aws.inventory.iam.AuthorizationDetails.class,
                dev.parapet.operator.aws.inventory.Datasets.GLOBAL,
                iam)
            .build());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pathFinding("path-exposed-admin-role").isPresent());
    var path = pathFinding("path-exposed-admin-role").orElseThrow();
    assertThat(path.getSpec().rule().severity()).isEqualTo(dev.parapet.core.Severity.CRITICAL);
    assertThat(path.getSpec().resource().kind()).isEqualTo("Deployment");
    assertThat(path.getSpec().message())
        .contains("Service paths/web-lb (LoadBalancer)", "ServiceAccount paths/web", role, admin);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                pathFinding("path-unknown")
                    .map(
                        f ->
                            f.getStatus() != null
                                && f.getStatus().state() == FindingStatus.State.RESOLVED)
                    .orElse(true));

    // The Service goes: the workload is no longer exposed, the path resolves.
    client.resource(lb).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                pathFinding("path-exposed-admin-role").orElseThrow().getStatus() != null
                    && pathFinding("path-exposed-admin-role").orElseThrow().getStatus().state()
                        == FindingStatus.State.RESOLVED);
  }

  java.util.Optional<Finding> pathFinding(String rule) {
    return rbacFinding("paths", rule);
  }
}
