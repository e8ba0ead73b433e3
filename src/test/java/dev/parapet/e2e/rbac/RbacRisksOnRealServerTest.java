package dev.parapet.e2e.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.e2e.kube.KubeCluster;
import dev.parapet.operator.findings.WorkloadFindings;
import dev.parapet.operator.rbac.RbacRisks;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RBAC risk on the real API server: risky and harmless ClusterRoles, Roles and bindings are created
 * next to the server's own bootstrap RBAC, everything is listed back from the server, and {@link
 * RbacRisks} must report exactly the risky grants of this test's objects (subject, binding, what it
 * grants) and nothing for the API server's system bindings.
 */
class RbacRisksOnRealServerTest {
  private static final String NS = "rbac-risk";
  private static final String P = "rbacrisk-";
  private static KubeCluster cluster;

  @BeforeAll
  static void objects() {
    cluster = KubeCluster.shared();
    var c = cluster.admin();
    c.namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    role(P + "wildcard", rule(List.of("apps"), List.of("*"), List.of("get", "list")));
    role(P + "secrets", rule(List.of(""), List.of("secrets"), List.of("get", "list", "watch")));
    role(
        P + "escalate",
        rule(
            List.of("rbac.authorization.k8s.io"),
            List.of("clusterroles"),
            List.of("bind", "escalate")));
    role(P + "impersonate", rule(List.of(""), List.of("users", "groups"), List.of("impersonate")));
    role(P + "exec", rule(List.of(""), List.of("pods/exec"), List.of("create")));
    role(P + "view-pods", rule(List.of(""), List.of("pods"), List.of("get", "list")));
    c.rbac()
        .roles()
        .inNamespace(NS)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName(P + "ns-reader")
                .withNamespace(NS)
                .endMetadata()
                .withRules(rule(List.of(""), List.of("configmaps"), List.of("get")))
                .build())
        .create();
    crb(P + "alice-admin", "cluster-admin", user("alice"));
    crb(P + "ci-wildcard", P + "wildcard", group("ci"));
    crb(P + "reader-secrets", P + "secrets", sa("monitoring", "reader"));
    crb(P + "deployer-escalate", P + "escalate", user("deployer"));
    crb(P + "support-impersonate", P + "impersonate", group("support"));
    crb(P + "everyone-exec", P + "exec", group("system:authenticated"));
    crb(P + "viewers", P + "view-pods", group("viewers"));
    crb(P + "component", P + "secrets", user("system:kube-scheduler"), sa("kube-system", "ctrl"));
    c.rbac()
        .roleBindings()
        .inNamespace(NS)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(P + "default-sa")
                .withNamespace(NS)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", P + "ns-reader")
                .withSubjects(sa(NS, "default"))
                .build())
        .create();
    c.rbac()
        .roleBindings()
        .inNamespace(NS)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(P + "ns-secrets")
                .withNamespace(NS)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", P + "secrets")
                .withSubjects(user("bob"))
                .build())
        .create();
  }

  @AfterAll
  static void cleanup() {
    if (cluster == null) {
      return;
    }
    var c = cluster.admin();
    c.rbac().clusterRoleBindings().list().getItems().stream()
        .filter(b -> b.getMetadata().getName().startsWith(P))
        .forEach(b -> c.rbac().clusterRoleBindings().resource(b).delete());
    c.rbac().clusterRoles().list().getItems().stream()
        .filter(b -> b.getMetadata().getName().startsWith(P))
        .forEach(b -> c.rbac().clusterRoles().resource(b).delete());
    c.namespaces().withName(NS).delete();
  }

  @Test
  void reportsExactlyTheRiskyGrantsWithSubjectBindingAndWhatTheyGrant() {
    var c = cluster.admin();
    var risks =
        RbacRisks.analyze(
            c.rbac().clusterRoles().list().getItems(),
            c.rbac().roles().inAnyNamespace().list().getItems(),
            c.rbac().clusterRoleBindings().list().getItems(),
            c.rbac().roleBindings().inAnyNamespace().list().getItems());
    var ours =
        risks.stream()
            .filter(r -> r.binding().getMetadata().getName().startsWith(P))
            .map(r -> r.violation().rule().id() + " " + r.violation().name() + " " + subjectOf(r))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(ours)
        .containsExactlyInAnyOrder(
            "rbac-cluster-admin rbacrisk-alice-admin User alice",
            "rbac-wildcard-grant rbacrisk-ci-wildcard Group ci",
            "rbac-secrets-cluster-read rbacrisk-reader-secrets ServiceAccount monitoring/reader",
            "rbac-escalation-verbs rbacrisk-deployer-escalate User deployer",
            "rbac-escalation-verbs rbacrisk-support-impersonate Group support",
            "rbac-exec-broad-group rbacrisk-everyone-exec Group system:authenticated",
            "rbac-default-serviceaccount rbacrisk-default-sa ServiceAccount rbac-risk/default");
    // The API server's own bindings (cluster-admin to system:masters, the controllers' roles)
    // exist on this server and are not reported.
    assertThat(
            c.rbac().clusterRoleBindings().list().getItems().stream()
                .filter(b -> b.getMetadata().getName().equals("cluster-admin"))
                .count())
        .isEqualTo(1);
    assertThat(risks)
        .noneMatch(
            r ->
                "rbac-defaults"
                    .equals(
                        r.binding().getMetadata().getLabels() == null
                            ? null
                            : r.binding()
                                .getMetadata()
                                .getLabels()
                                .get("kubernetes.io/bootstrapping")));
    // Each is a Finding of the binding naming the subject, the binding's role and the grant.
    var secrets =
        risks.stream()
            .filter(r -> r.violation().rule().id().equals("rbac-secrets-cluster-read"))
            .findFirst()
            .orElseThrow();
    var finding = WorkloadFindings.desired(secrets.binding(), secrets.violation());
    assertThat(finding.spec().resource().kind()).isEqualTo("ClusterRoleBinding");
    assertThat(finding.spec().resource().name()).isEqualTo(P + "reader-secrets");
    assertThat(finding.spec().message())
        .isEqualTo(
            "ClusterRoleBinding rbacrisk-reader-secrets: ServiceAccount monitoring/reader"
                + " (subjects[0]) is granted by ClusterRole rbacrisk-secrets in every namespace:"
                + " get, list, watch secrets [rule rbac-secrets-cluster-read, policy rbac-audit]:"
                + " grant get/list/watch on secrets with a RoleBinding in the namespaces that need"
                + " it");
  }

  private static String subjectOf(RbacRisks.Risk r) {
    var d = r.violation().detail();
    return d.substring(0, d.indexOf(" (subjects["));
  }

  private static io.fabric8.kubernetes.api.model.rbac.PolicyRule rule(
      List<String> groups, List<String> resources, List<String> verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(groups)
        .withResources(resources)
        .withVerbs(verbs)
        .build();
  }

  private static void role(String name, io.fabric8.kubernetes.api.model.rbac.PolicyRule r) {
    cluster
        .admin()
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withRules(r)
                .build())
        .create();
  }

  private static void crb(String name, String role, Subject... subjects) {
    cluster
        .admin()
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
                .withSubjects(subjects)
                .build())
        .create();
  }

  private static Subject user(String name) {
    return new SubjectBuilder()
        .withKind("User")
        .withApiGroup("rbac.authorization.k8s.io")
        .withName(name)
        .build();
  }

  private static Subject group(String name) {
    return new SubjectBuilder()
        .withKind("Group")
        .withApiGroup("rbac.authorization.k8s.io")
        .withName(name)
        .build();
  }

  private static Subject sa(String ns, String name) {
    return new SubjectBuilder().withKind("ServiceAccount").withNamespace(ns).withName(name).build();
  }
}
