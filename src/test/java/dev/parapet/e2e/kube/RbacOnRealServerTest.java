package dev.parapet.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.e2e.chart.ChartSupport;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the chart's two ServiceAccounts may and may not do on the real API server, asked with their
 * own tokens (TokenRequest API, one kubeconfig each) through the real {@code kubectl auth can-i}:
 * the exit code and the yes/no answer of every cell of the matrix, then, per namespace, the full
 * rule list ({@code can-i --list}) so that no write the matrix did not think of slips through.
 *
 * <p>Each cell is what the code needs (or must never have): the controller's informers, Finding
 * writes, CloudAccount finalizer and status patches, its own leader-election Lease (renewed with
 * PATCH by Fabric8) and Secrets named by CloudAccounts, read with a GET; the webhook's informers of
 * PosturePolicies and Namespaces and nothing else.
 */
class RbacOnRealServerTest {

  private static final String RELEASE_NS = "rbac-parapet";

  /** Listed in controller.rbac.secretNamespaces. */
  private static final String TEAM_NS = "rbac-team-a";

  /** Not listed: a CloudAccount here may not have its Secrets read. */
  private static final String OTHER_NS = "rbac-other";

  private static final String ALL = "--all-namespaces";
  private static final String CLUSTER = "";

  private static KubeCluster cluster;
  private static final Map<String, Path> kubeconfigs = new TreeMap<>();

  @BeforeAll
  static void install() {
    cluster = KubeCluster.shared();
    for (var ns : List.of(RELEASE_NS, TEAM_NS, OTHER_NS)) {
      cluster
          .admin()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    RealChart.install(
        cluster,
        RELEASE_NS,
        ChartSupport.values("controller.rbac.secretNamespaces", List.of(TEAM_NS)));
    kubeconfigs.put("controller", cluster.kubeconfigFor(RELEASE_NS, "parapet-controller"));
    kubeconfigs.put("webhook", cluster.kubeconfigFor(RELEASE_NS, "parapet-webhook"));
  }

  @AfterAll
  static void uninstall() {
    if (cluster != null) {
      RealChart.uninstall(cluster, RELEASE_NS);
      for (var ns : List.of(RELEASE_NS, TEAM_NS, OTHER_NS)) {
        cluster.admin().namespaces().withName(ns).delete();
      }
    }
  }

  static Stream<Arguments> matrix() {
    var c = "controller";
    var w = "webhook";
    return Stream.of(
        // --- controller: Secrets, by name with GET, only where the chart grants it -------------
        yes(c, "get", "secrets", RELEASE_NS),
        yes(c, "get", "secrets", TEAM_NS),
        yes(c, "get", "secrets/aws-keys", TEAM_NS),
        no(c, "get", "secrets", OTHER_NS),
        no(c, "get", "secrets", "default"),
        no(c, "get", "secrets", "kube-system"),
        no(c, "get", "secrets", ALL),
        no(c, "list", "secrets", RELEASE_NS),
        no(c, "watch", "secrets", TEAM_NS),
        no(c, "create", "secrets", RELEASE_NS),
        no(c, "update", "secrets", TEAM_NS),
        no(c, "patch", "secrets", RELEASE_NS),
        no(c, "delete", "secrets", RELEASE_NS),
        // --- controller: its own kinds ---------------------------------------------------------
        yes(c, "create", "findings.parapet.dev", OTHER_NS),
        yes(c, "patch", "findings.parapet.dev", OTHER_NS),
        yes(c, "update", "findings.parapet.dev", TEAM_NS),
        yes(c, "delete", "findings.parapet.dev", OTHER_NS),
        yes(c, "watch", "findings.parapet.dev", ALL),
        yes(c, "update", "findings.parapet.dev", "status", OTHER_NS),
        yes(c, "watch", "cloudaccounts.parapet.dev", ALL),
        yes(c, "patch", "cloudaccounts.parapet.dev", OTHER_NS),
        yes(c, "update", "cloudaccounts.parapet.dev", OTHER_NS),
        yes(c, "patch", "cloudaccounts.parapet.dev", "status", OTHER_NS),
        // An AwsOrganization's reconciler creates and deletes the CloudAccounts it owns.
        yes(c, "create", "cloudaccounts.parapet.dev", OTHER_NS),
        yes(c, "delete", "cloudaccounts.parapet.dev", OTHER_NS),
        yes(c, "watch", "awsorganizations.parapet.dev", ALL),
        yes(c, "patch", "awsorganizations.parapet.dev", "status", OTHER_NS),
        no(c, "create", "awsorganizations.parapet.dev", OTHER_NS),
        no(c, "update", "awsorganizations.parapet.dev", OTHER_NS),
        no(c, "delete", "awsorganizations.parapet.dev", OTHER_NS),
        no(c, "update", "awsorganizations.parapet.dev", "finalizers", OTHER_NS),
        // Findings' ownerReferences carry blockOwnerDeletion: false, so nothing asks for this.
        no(c, "update", "cloudaccounts.parapet.dev", "finalizers", OTHER_NS),
        yes(c, "list", "posturepolicies.parapet.dev", CLUSTER),
        yes(c, "patch", "posturepolicies.parapet.dev", "status", CLUSTER),
        no(c, "create", "posturepolicies.parapet.dev", CLUSTER),
        no(c, "patch", "posturepolicies.parapet.dev", CLUSTER),
        no(c, "delete", "posturepolicies.parapet.dev", CLUSTER),
        yes(c, "get", "events", OTHER_NS),
        yes(c, "create", "events", OTHER_NS),
        yes(c, "patch", "events", OTHER_NS),
        no(c, "create", "events.events.k8s.io", OTHER_NS),
        // --- controller: leader election, its own Lease only ---------------------------------
        yes(c, "create", "leases.coordination.k8s.io", RELEASE_NS),
        yes(c, "get", "leases.coordination.k8s.io/parapet-controller", RELEASE_NS),
        yes(c, "update", "leases.coordination.k8s.io/parapet-controller", RELEASE_NS),
        yes(c, "patch", "leases.coordination.k8s.io/parapet-controller", RELEASE_NS),
        no(c, "delete", "leases.coordination.k8s.io/parapet-controller", RELEASE_NS),
        no(c, "get", "leases.coordination.k8s.io/another-operator", RELEASE_NS),
        no(c, "update", "leases.coordination.k8s.io/another-operator", RELEASE_NS),
        no(c, "patch", "leases.coordination.k8s.io/another-operator", RELEASE_NS),
        no(c, "list", "leases.coordination.k8s.io", RELEASE_NS),
        no(c, "patch", "leases.coordination.k8s.io/parapet-controller", OTHER_NS),
        no(c, "patch", "leases.coordination.k8s.io/kube-controller-manager", "kube-system"),
        no(c, "create", "leases.coordination.k8s.io", OTHER_NS),
        // --- controller: the background audit reads workloads, writes none -------------------
        yes(c, "watch", "pods", ALL),
        yes(c, "watch", "deployments.apps", ALL),
        yes(c, "watch", "statefulsets.apps", ALL),
        yes(c, "watch", "daemonsets.apps", ALL),
        yes(c, "watch", "replicasets.apps", ALL),
        yes(c, "watch", "jobs.batch", ALL),
        yes(c, "watch", "cronjobs.batch", ALL),
        yes(c, "watch", "services", ALL),
        yes(c, "watch", "configmaps", ALL),
        yes(c, "watch", "namespaces", CLUSTER),
        // --- controller: the RBAC risk audit and the IAM join read RBAC and ServiceAccounts ---
        yes(c, "list", "clusterroles.rbac.authorization.k8s.io", CLUSTER),
        yes(c, "watch", "clusterrolebindings.rbac.authorization.k8s.io", CLUSTER),
        yes(c, "watch", "roles.rbac.authorization.k8s.io", ALL),
        yes(c, "watch", "rolebindings.rbac.authorization.k8s.io", ALL),
        yes(c, "watch", "serviceaccounts", ALL),
        yes(c, "watch", "ingresses.networking.k8s.io", ALL),
        no(c, "update", "ingresses.networking.k8s.io", OTHER_NS),
        no(c, "update", "clusterroles.rbac.authorization.k8s.io", CLUSTER),
        no(c, "patch", "rolebindings.rbac.authorization.k8s.io", OTHER_NS),
        no(c, "delete", "serviceaccounts", OTHER_NS),
        // ReplicationControllers are audited through their Pods; the controller lists none.
        no(c, "list", "replicationcontrollers", ALL),
        no(c, "create", "pods", OTHER_NS),
        no(c, "delete", "pods", RELEASE_NS),
        no(c, "create", "pods", "exec", OTHER_NS),
        no(c, "patch", "deployments.apps", OTHER_NS),
        no(c, "create", "deployments.apps", RELEASE_NS),
        no(c, "update", "configmaps", OTHER_NS),
        no(c, "patch", "namespaces", CLUSTER),
        no(c, "delete", "namespaces", CLUSTER),
        no(c, "create", "namespaces", CLUSTER),
        no(c, "create", "serviceaccounts", "token", RELEASE_NS),
        no(c, "impersonate", "serviceaccounts", OTHER_NS),
        // --- controller: nothing cluster-wide beyond its own kinds ---------------------------
        no(c, "create", "clusterroles.rbac.authorization.k8s.io", CLUSTER),
        no(c, "escalate", "clusterroles.rbac.authorization.k8s.io", CLUSTER),
        no(c, "bind", "clusterroles.rbac.authorization.k8s.io", CLUSTER),
        no(c, "create", "clusterrolebindings.rbac.authorization.k8s.io", CLUSTER),
        no(c, "create", "rolebindings.rbac.authorization.k8s.io", RELEASE_NS),
        no(c, "patch", "validatingwebhookconfigurations.admissionregistration.k8s.io", CLUSTER),
        no(c, "create", "customresourcedefinitions.apiextensions.k8s.io", CLUSTER),
        no(c, "list", "nodes", CLUSTER),
        // --- webhook: reads PosturePolicies and Namespaces, writes nothing ------------------
        yes(w, "get", "posturepolicies.parapet.dev", CLUSTER),
        yes(w, "list", "posturepolicies.parapet.dev", CLUSTER),
        yes(w, "watch", "posturepolicies.parapet.dev", CLUSTER),
        yes(w, "get", "namespaces", CLUSTER),
        yes(w, "list", "namespaces", CLUSTER),
        yes(w, "watch", "namespaces", CLUSTER),
        no(w, "create", "posturepolicies.parapet.dev", CLUSTER),
        no(w, "update", "posturepolicies.parapet.dev", CLUSTER),
        no(w, "patch", "posturepolicies.parapet.dev", CLUSTER),
        no(w, "delete", "posturepolicies.parapet.dev", CLUSTER),
        no(w, "patch", "posturepolicies.parapet.dev", "status", CLUSTER),
        no(w, "patch", "namespaces", CLUSTER),
        no(w, "get", "secrets", RELEASE_NS),
        no(w, "list", "pods", ALL),
        no(w, "list", "cloudaccounts.parapet.dev", ALL),
        no(w, "list", "findings.parapet.dev", ALL),
        no(w, "create", "findings.parapet.dev", OTHER_NS),
        no(w, "create", "events", RELEASE_NS),
        no(w, "create", "leases.coordination.k8s.io", RELEASE_NS),
        no(w, "get", "leases.coordination.k8s.io/parapet-controller", RELEASE_NS),
        no(w, "create", "clusterrolebindings.rbac.authorization.k8s.io", CLUSTER));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void canI(String cell, String who, List<String> args, boolean expected) {
    var command = new ArrayList<String>(List.of("auth", "can-i"));
    command.addAll(args);
    var result = cluster.kubectl(kubeconfigs.get(who), command.toArray(String[]::new));
    // A mistyped resource is answered (no) with a warning: make it fail here instead.
    assertThat(result.stderr()).as(cell).doesNotContain("doesn't have a resource type");
    assertThat(result.stdout().strip()).as(cell).startsWith(expected ? "yes" : "no");
    assertThat(result.exit()).as(cell + ": " + result.all()).isEqualTo(expected ? 0 : 1);
  }

  static Stream<Arguments> writesPerNamespace() {
    var reviews =
        Set.of(
            "selfsubjectreviews.authentication.k8s.io",
            "selfsubjectaccessreviews.authorization.k8s.io",
            "selfsubjectrulesreviews.authorization.k8s.io");
    var controllerEverywhere = new TreeSet<>(reviews);
    controllerEverywhere.addAll(
        List.of(
            "events",
            "findings.parapet.dev",
            "findings.parapet.dev/status",
            "cloudaccounts.parapet.dev",
            "cloudaccounts.parapet.dev/status",
            "awsorganizations.parapet.dev/status",
            "posturepolicies.parapet.dev/status"));
    var controllerHome = new TreeSet<>(controllerEverywhere);
    controllerHome.add("leases.coordination.k8s.io");
    return Stream.of(
        Arguments.of("controller", RELEASE_NS, controllerHome),
        Arguments.of("controller", TEAM_NS, controllerEverywhere),
        Arguments.of("controller", OTHER_NS, controllerEverywhere),
        Arguments.of("webhook", RELEASE_NS, new TreeSet<>(reviews)),
        Arguments.of("webhook", OTHER_NS, new TreeSet<>(reviews)));
  }

  /**
   * `kubectl auth can-i --list -n ns`: every resource with a verb other than get/list/watch is one
   * the matrix expects the account to write (so a new write grant fails here until it is added to
   * the matrix on purpose).
   */
  @ParameterizedTest(name = "{0} writes in {1}")
  @MethodSource("writesPerNamespace")
  void theOnlyWritesAreTheIntendedOnes(String who, String namespace, Set<String> expected) {
    var rules = rules(who, namespace);
    var writes = new TreeSet<String>();
    rules.forEach(
        (resource, verbs) -> {
          if (!Set.of("get", "list", "watch").containsAll(verbs)) {
            writes.add(resource);
          }
        });
    assertThat(writes).as(who + " in " + namespace + ": " + rules).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} reads Secrets in {1}: {2}")
  @MethodSource("secretReads")
  void secretsAreReadableOnlyInTheGrantedNamespaces(
      String who, String namespace, List<String> expected) {
    var rules = rules(who, namespace);
    assertThat(rules.getOrDefault("secrets", List.of())).as(rules.toString()).isEqualTo(expected);
  }

  static Stream<Arguments> secretReads() {
    return Stream.of(
        Arguments.of("controller", RELEASE_NS, List.of("get")),
        Arguments.of("controller", TEAM_NS, List.of("get")),
        Arguments.of("controller", OTHER_NS, List.of()),
        Arguments.of("controller", "default", List.of()),
        Arguments.of("webhook", RELEASE_NS, List.of()));
  }

  private static final Pattern RULE_ROW =
      Pattern.compile("^(\\S*)\\s+\\[(.*?)]\\s+\\[(.*?)]\\s+\\[(.*?)]\\s*$");

  /** Resource (with /subresource) -> verbs, from `kubectl auth can-i --list -n namespace`. */
  private static Map<String, List<String>> rules(String who, String namespace) {
    var result = cluster.kubectl(kubeconfigs.get(who), "auth", "can-i", "--list", "-n", namespace);
    assertThat(result.exit()).as(result.all()).isZero();
    var lines = result.stdout().lines().toList();
    assertThat(lines.get(0)).startsWith("Resources");
    var out = new TreeMap<String, List<String>>();
    for (var line : lines.subList(1, lines.size())) {
      var m = RULE_ROW.matcher(line);
      assertThat(m.matches()).as("unparsed row: " + line).isTrue();
      if (m.group(1).isEmpty()) {
        continue; // non-resource URLs (discovery, health): the same for every authenticated user
      }
      var verbs = new ArrayList<>(out.getOrDefault(m.group(1), List.of()));
      for (var v : m.group(4).split(" ")) {
        if (!v.isBlank() && !verbs.contains(v)) {
          verbs.add(v);
        }
      }
      out.put(m.group(1), List.copyOf(verbs));
    }
    return out;
  }

  private static Arguments yes(String who, String verb, String resource, String ns) {
    return cell(who, verb, resource, null, ns, true);
  }

  private static Arguments yes(
      String who, String verb, String resource, String subresource, String ns) {
    return cell(who, verb, resource, subresource, ns, true);
  }

  private static Arguments no(String who, String verb, String resource, String ns) {
    return cell(who, verb, resource, null, ns, false);
  }

  private static Arguments no(
      String who, String verb, String resource, String subresource, String ns) {
    return cell(who, verb, resource, subresource, ns, false);
  }

  private static Arguments cell(
      String who, String verb, String resource, String subresource, String ns, boolean allowed) {
    var args = new ArrayList<>(List.of(verb, resource));
    if (subresource != null) {
      args.add("--subresource=" + subresource);
    }
    if (ns.equals(ALL)) {
      args.add(ALL);
    } else if (!ns.isEmpty()) {
      args.add("-n");
      args.add(ns);
    }
    var where = ns.isEmpty() ? "(cluster)" : ns.equals(ALL) ? "(all namespaces)" : "-n " + ns;
    var name =
        who
            + ": "
            + verb
            + " "
            + resource
            + (subresource == null ? "" : "/" + subresource)
            + " "
            + where
            + " -> "
            + (allowed ? "yes" : "no");
    return Arguments.of(name, who, List.copyOf(args), allowed);
  }
}
