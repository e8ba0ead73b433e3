package dev.parapet.operator.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The edges of {@link RbacRisks} that the real-server test does not reach. */
class RbacRisksTest {

  @Test
  void secretsThroughANamespacedBindingAreNotClusterWide() {
    var risks =
        RbacRisks.analyze(
            List.of(cr("read-secrets", rule("", "secrets", "list"))),
            List.of(),
            List.of(),
            List.of(rb("team", "read-secrets", user("bob"))));
    assertThat(risks).isEmpty();
  }

  @Test
  void subresourceWildcardsAndStarGroupsGrantExec() {
    var risks =
        RbacRisks.analyze(
            List.of(cr("debug", rule("*", "pods/*", "create"))),
            List.of(),
            List.of(crb("debug-all", "debug", group("system:serviceaccounts:ci"))),
            List.of());
    assertThat(risks)
        .extracting(r -> r.violation().rule().id())
        .containsExactly("rbac-exec-broad-group");
    assertThat(risks.get(0).violation().detail())
        .isEqualTo(
            "Group system:serviceaccounts:ci (subjects[0]) is granted by ClusterRole debug in every"
                + " namespace: create pods/exec");
  }

  @Test
  void nonResourceUrlRulesGrantNoResources() {
    var nonResource = new PolicyRuleBuilder().withNonResourceURLs("*").withVerbs("*").build();
    var risks =
        RbacRisks.analyze(
            List.of(cr("metrics", nonResource)),
            List.of(),
            List.of(crb("metrics", "metrics", user("scraper"))),
            List.of());
    assertThat(risks).isEmpty();
  }

  @Test
  void missingRolesGrantNothingAndSystemSubjectsAreSkipped() {
    var risks =
        RbacRisks.analyze(
            List.of(cr("admin-like", rule("*", "*", "*"))),
            List.of(),
            List.of(
                crb("ghost", "no-such-role", user("carol")),
                crb(
                    "components",
                    "admin-like",
                    user("system:kube-controller-manager"),
                    group("system:masters"),
                    sa("kube-system", "replicaset-controller"),
                    group("system:unauthenticated"))),
            List.of());
    // Only the broad group is reported: cluster-admin-like, and with it exec into every pod.
    assertThat(risks)
        .extracting(r -> r.violation().rule().id() + " " + r.violation().fieldPath())
        .containsExactly("rbac-cluster-admin subjects[3]", "rbac-exec-broad-group subjects[3]");
  }

  @Test
  void theDefaultServiceAccountWithAnyPermissionIsReported() {
    var risks =
        RbacRisks.analyze(
            List.of(cr("view-cm", rule("", "configmaps", "get"))),
            List.of(),
            List.of(),
            List.of(rb("shop", "view-cm", sa("shop", "default"))));
    assertThat(risks)
        .extracting(r -> r.violation().rule().id())
        .containsExactly("rbac-default-serviceaccount");
    assertThat(risks.get(0).violation().kind()).isEqualTo("RoleBinding");
    assertThat(risks.get(0).violation().namespace()).isEqualTo("shop");
  }

  private static PolicyRule rule(String group, String resource, String verb) {
    return new PolicyRuleBuilder()
        .withApiGroups(group)
        .withResources(resource)
        .withVerbs(verb)
        .build();
  }

  private static ClusterRole cr(String name, PolicyRule... rules) {
    return new ClusterRoleBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withRules(rules)
        .build();
  }

  private static ClusterRoleBinding crb(String name, String role, Subject... s) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
        .withSubjects(s)
        .build();
  }

  private static RoleBinding rb(String ns, String role, Subject... s) {
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName("rb-" + role)
        .withNamespace(ns)
        .endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
        .withSubjects(s)
        .build();
  }

  private static Subject user(String n) {
    return new SubjectBuilder().withKind("User").withName(n).build();
  }

  private static Subject group(String n) {
    return new SubjectBuilder().withKind("Group").withName(n).build();
  }

  private static Subject sa(String ns, String n) {
    return new SubjectBuilder().withKind("ServiceAccount").withNamespace(ns).withName(n).build();
  }
}
