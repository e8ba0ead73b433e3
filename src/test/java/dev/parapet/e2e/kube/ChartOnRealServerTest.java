package dev.parapet.e2e.kube;

import static dev.parapet.e2e.chart.ChartSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parapet.e2e.chart.ChartSupport;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `helm install | upgrade | uninstall` of helm/parapet (helm-java, as the admin) on the real API
 * server, into a namespace that enforces the {@code restricted} Pod Security level. The
 * controller-manager turns both Deployments into ReplicaSets and Pods, so Pod Security admission
 * judges the Pods the chart really produces (they stay Pending: there is no kubelet).
 *
 * <p>Each test gets its own release in its own namespace, installed by {@link #install()}; {@link
 * #cleanUp()} uninstalls it (again, when the test did) so the cluster-scoped objects never collide
 * with the next test or class that installs release {@code parapet}.
 */
class ChartOnRealServerTest {

  private static final java.util.concurrent.atomic.AtomicInteger NAMESPACES =
      new java.util.concurrent.atomic.AtomicInteger();
  private static final Duration PATIENCE = Duration.ofMinutes(2);
  private static final List<String> PSA_MODES = List.of("enforce", "audit", "warn");

  private static KubeCluster cluster;
  private static KubernetesClient admin;

  private final String ns = "chart-restricted-" + NAMESPACES.incrementAndGet();
  private ChartSupport.Rendered rendered;

  @BeforeAll
  static void cluster() {
    cluster = KubeCluster.shared();
    admin = cluster.admin();
  }

  @BeforeEach
  void install() {
    var labels = new java.util.HashMap<String, String>();
    for (var mode : PSA_MODES) {
      labels.put("pod-security.kubernetes.io/" + mode, "restricted");
      labels.put("pod-security.kubernetes.io/" + mode + "-version", "latest");
    }
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
    // The same values, rendered by `helm template`: the list of what the install must create.
    rendered = ChartSupport.render(ns, Map.of());
    var release = RealChart.install(cluster, ns, Map.of());
    assertThat(release.getStatus()).isEqualTo("deployed");
  }

  @AfterEach
  void cleanUp() {
    if (cluster != null) {
      RealChart.uninstall(cluster, ns);
      admin.namespaces().withName(ns).delete();
    }
  }

  @Test
  void everyObjectTheChartRendersExistsOnTheServerOwnedByTheRelease() throws IOException {
    assertThat(rendered.items()).hasSizeGreaterThanOrEqualTo(15);
    var missing = new ArrayList<String>();
    for (var item : rendered.items()) {
      var onServer = onServer(item);
      if (onServer == null) {
        missing.add(key(item));
        continue;
      }
      // Helm records ownership on each object; upgrade and uninstall rely on it.
      assertThat(onServer.getMetadata().getAnnotations())
          .as(key(item))
          .containsEntry("meta.helm.sh/release-name", RealChart.RELEASE)
          .containsEntry("meta.helm.sh/release-namespace", ns);
      if (item instanceof Namespaced) {
        assertThat(onServer.getMetadata().getNamespace()).as(key(item)).isEqualTo(ns);
      }
    }
    assertThat(missing).as("rendered but not on the server").isEmpty();
    for (var crd : ChartSupport.crds()) {
      var name = crd.getMetadata().getName();
      assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(name).get())
          .as("CRD " + name + " (helm installs crds/ before the templates)")
          .isNotNull();
    }
  }

  @Test
  void thePodsOfBothDeploymentsAreAdmittedUnderRestrictedPodSecurity() throws IOException {
    var deployments = rendered.all(Deployment.class);
    assertThat(deployments)
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("parapet-controller", "parapet-webhook");
    for (var d : deployments) {
      var name = d.getMetadata().getName();
      var replicas = d.getSpec().getReplicas();
      assertThat(replicas).as(name).isPositive();
      await(name + ": " + replicas + " Pods created by its ReplicaSet")
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(500))
          // A refused Pod is retried for ever: fail on the first refusal, with its message.
          .failFast(
              "Pod Security refused a Pod",
              () -> assertThat(podSecurityRefusals()).as("PodSecurity refusals").isEmpty())
          .untilAsserted(
              () -> {
                var rs = replicaSetOf(name);
                assertThat(rs).as(name + " ReplicaSet").isNotNull();
                assertThat(rs.getStatus()).as(name + " ReplicaSet status").isNotNull();
                assertThat(rs.getStatus().getReplicas()).as(name).isEqualTo(replicas);
                var pods =
                    admin.pods().inNamespace(ns).list().getItems().stream()
                        .filter(
                            p ->
                                p.getMetadata().getOwnerReferences().stream()
                                    .anyMatch(o -> o.getUid().equals(rs.getMetadata().getUid())))
                        .toList();
                assertThat(pods).as(name + " Pods").hasSize(replicas);
              });
    }
    assertThat(podSecurityRefusals()).as("PodSecurity refusals").isEmpty();

    // Pod Security really judged these Pods at `restricted` (so the labels were not a no-op), and
    // neither the Pods nor the Deployments that helm created violate it (audit mode annotates a
    // violation even where enforce would not see it, e.g. on the Deployment's template).
    var podCreates = auditEvents("create", "pods");
    assertThat(podCreates).as("Pod creations in the audit log").hasSize(3);
    assertThat(podCreates)
        .allSatisfy(
            e ->
                assertThat(
                        e.path("annotations")
                            .path("pod-security.kubernetes.io/enforce-policy")
                            .asText())
                    .startsWith("restricted:"));
    var violations =
        auditEvents("create", null).stream()
            .filter(e -> e.path("annotations").has("pod-security.kubernetes.io/audit-violations"))
            .map(e -> e.path("objectRef").toString())
            .toList();
    assertThat(violations).as("objects violating restricted").isEmpty();
  }

  @Test
  void upgradeWithAChangedValueKeepsTheTlsSecretAndTheCaBundle() {
    var secretName =
        rendered.all(Secret.class).stream()
            .filter(s -> "kubernetes.io/tls".equals(s.getType()))
            .findFirst()
            .orElseThrow()
            .getMetadata()
            .getName();
    var before = admin.secrets().inNamespace(ns).withName(secretName).get();
    var vwcBefore = vwc();
    var webhookBefore =
        admin.apps().deployments().inNamespace(ns).withName("parapet-webhook").get();
    var optOut = Map.of("key", "parapet.dev/upgrade-test-opt-out", "operator", "DoesNotExist");
    assertThat(vwcBefore.getWebhooks())
        .allSatisfy(
            w ->
                assertThat(w.getNamespaceSelector().getMatchExpressions())
                    .noneMatch(e -> e.getKey().equals(optOut.get("key"))));

    // A value that changes only the webhook configuration (timeoutSeconds would also change the
    // webhook Deployment: the chart derives the webhook's review budget from it).
    var release =
        RealChart.upgrade(
            cluster, ns, values("webhook.namespaceSelectorExpressions", List.of(optOut)));
    assertThat(release.getStatus()).isEqualTo("deployed");
    assertThat(release.getRevision()).isEqualTo("2");

    var after = admin.secrets().inNamespace(ns).withName(secretName).get();
    var vwcAfter = vwc();
    // The change took effect on the server...
    assertThat(vwcAfter.getWebhooks())
        .allSatisfy(
            w ->
                assertThat(w.getNamespaceSelector().getMatchExpressions())
                    .anyMatch(e -> e.getKey().equals(optOut.get("key"))));
    // ...and the certificate, its key, its CA and the caBundle are the ones issued at install.
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    for (var key : List.of("tls.crt", "tls.key", "ca.crt")) {
      assertThat(decode(after.getData().get(key)))
          .as(key)
          .isNotEmpty()
          .isEqualTo(decode(before.getData().get(key)));
    }
    assertThat(caBundles(vwcAfter)).isEqualTo(caBundles(vwcBefore));
    assertThat(caBundles(vwcAfter))
        .singleElement()
        .satisfies(b -> assertThat(b).isEqualTo(decode(after.getData().get("ca.crt"))));
    // The Pod template's checksum/tls did not change, so the webhook Pods were not rolled.
    var webhookAfter = admin.apps().deployments().inNamespace(ns).withName("parapet-webhook").get();
    assertThat(webhookAfter.getMetadata().getGeneration())
        .isEqualTo(webhookBefore.getMetadata().getGeneration());
  }

  @Test
  void uninstallLeavesOnlyWhatHelmDocuments() {
    // Both Deployments' ReplicaSets (the controller-manager creates them after the install).
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(admin.apps().replicaSets().inNamespace(ns).list().getItems())
                    .hasSize(2));
    RealChart.uninstall(cluster, ns);

    var left = rendered.items().stream().filter(i -> onServer(i) != null).map(this::key).toList();
    assertThat(left).as("chart objects left after uninstall").isEmpty();
    assertThat(
            admin.rbac().clusterRoles().list().getItems().stream()
                .map(r -> "ClusterRole/" + r.getMetadata().getName())
                .filter(n -> n.contains("parapet")))
        .isEmpty();
    assertThat(
            admin.rbac().clusterRoleBindings().list().getItems().stream()
                .map(r -> "ClusterRoleBinding/" + r.getMetadata().getName())
                .filter(n -> n.contains("parapet")))
        .isEmpty();
    assertThat(
            admin.admissionRegistration().v1().validatingWebhookConfigurations().list().getItems())
        .extracting(w -> w.getMetadata().getName())
        .noneMatch(n -> n.contains("parapet"));

    // The garbage collector removes what the Deployments owned; then the namespace holds only
    // what Kubernetes itself puts there (and the controllers' Events, which expire on their own).
    var types = namespacedTypes();
    await("the namespace emptied of everything the release made")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> assertThat(objectsIn(types)).containsExactly("serviceaccount/default"));

    // What Helm documents as staying: the CRDs from crds/ and the release namespace.
    for (var name :
        List.of(
            "cloudaccounts.parapet.dev",
            "findings.parapet.dev",
            "posturepolicies.parapet.dev",
            "awsorganizations.parapet.dev")) {
      assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(name).get())
          .as(name)
          .isNotNull();
    }
    assertThat(admin.namespaces().withName(ns).get().getStatus().getPhase()).isEqualTo("Active");
  }

  // --- helpers -----------------------------------------------------------------------------

  private HasMetadata onServer(HasMetadata item) {
    var resource = admin.resource(item);
    if (item instanceof Namespaced && item.getMetadata().getNamespace() == null) {
      return resource.inNamespace(ns).get();
    }
    return resource.get();
  }

  private String key(HasMetadata item) {
    var ns = item.getMetadata().getNamespace();
    return item.getKind() + "/" + (ns == null ? "" : ns + "/") + item.getMetadata().getName();
  }

  private ReplicaSet replicaSetOf(String deployment) {
    var d = admin.apps().deployments().inNamespace(ns).withName(deployment).get();
    return admin.apps().replicaSets().inNamespace(ns).list().getItems().stream()
        .filter(
            rs ->
                rs.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> o.getUid().equals(d.getMetadata().getUid())))
        .findFirst()
        .orElse(null);
  }

  /** FailedCreate (or any) Events whose message names Pod Security. */
  private List<String> podSecurityRefusals() {
    return admin.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> e.getMessage() != null && e.getMessage().contains("PodSecurity"))
        .map(e -> e.getReason() + ": " + e.getMessage())
        .toList();
  }

  /** Audit-log entries of {@code verb} on {@code resource} (any, if null) in this namespace. */
  private List<JsonNode> auditEvents(String verb, String resource) throws IOException {
    var mapper = new ObjectMapper();
    var out = new ArrayList<JsonNode>();
    for (var line : Files.readAllLines(cluster.auditLog())) {
      if (!line.contains(ns)) {
        continue;
      }
      var e = mapper.readTree(line);
      var ref = e.path("objectRef");
      if (ns.equals(ref.path("namespace").asText())
          && verb.equals(e.path("verb").asText())
          && "ResponseComplete".equals(e.path("stage").asText())
          && e.path("responseStatus").path("code").asInt() < 300
          && (resource == null || resource.equals(ref.path("resource").asText()))
          && ref.path("subresource").isMissingNode()) {
        out.add(e);
      }
    }
    return out;
  }

  private ValidatingWebhookConfiguration vwc() {
    return admin
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName("parapet-webhook")
        .get();
  }

  private List<String> caBundles(ValidatingWebhookConfiguration vwc) {
    return vwc.getWebhooks().stream()
        .map(ValidatingWebhook::getClientConfig)
        .map(c -> decode(c.getCaBundle()))
        .distinct()
        .toList();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Every namespaced type the server can list, as `kubectl api-resources` names them. */
  private String namespacedTypes() {
    var result = cluster.kubectl("api-resources", "--verbs=list", "--namespaced", "-o", "name");
    assertThat(result.exit()).as(result.all()).isZero();
    return String.join(",", result.stdout().strip().split("\\s+"));
  }

  /** `kubectl get <every type> -n ns -o name`, less Events and the cluster's CA ConfigMap. */
  private TreeSet<String> objectsIn(String types) {
    var result = cluster.kubectl("get", types, "-n", ns, "-o", "name");
    assertThat(result.exit()).as(result.all()).isZero();
    var out = new TreeSet<String>();
    Arrays.stream(result.stdout().split("\n"))
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .filter(l -> !l.startsWith("event/") && !l.startsWith("event.events.k8s.io/"))
        // Published by the controller-manager's root-ca-cert-publisher, when that runs.
        .filter(l -> !l.equals("configmap/kube-root-ca.crt"))
        .forEach(out::add);
    return out;
  }
}
