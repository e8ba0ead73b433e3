package dev.parapet.operator.rbac;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.Violation;
import dev.parapet.webhook.secrets.Shown;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RBAC risk (cluster audit, not admission): reads the cluster's ClusterRoles, Roles and their
 * bindings and reports, per binding and subject, what a risky grant gives whom. Pure: the caller
 * lists the objects. Each result is a {@link Violation} of the binding (enforcement Audit), so the
 * one Finding writer turns it into a Finding ({@code WorkloadFindings.desired}).
 *
 * <p>System components are excluded (see {@link #systemSubject} and {@link #systemBinding}): the
 * API server's own default bindings (label {@code kubernetes.io/bootstrapping=rbac-defaults}),
 * users and groups named {@code system:*} other than the broad groups {@code system:authenticated},
 * {@code system:unauthenticated}, {@code system:serviceaccounts} (and {@code
 * system:serviceaccounts:<ns>}), and ServiceAccounts of {@code kube-system}. Work is linear in the
 * number of bindings times the rules of the role each refers to.
 */
public final class RbacRisks {
  private RbacRisks() {}

  /** The policy name RBAC results carry (there is no PosturePolicy for them). */
  public static final String POLICY = "rbac-audit";

  /** Groups that hold every (authenticated / anonymous / ServiceAccount) identity. */
  public static final Set<String> BROAD_GROUPS =
      Set.of("system:authenticated", "system:unauthenticated", "system:serviceaccounts");

  private static final Set<String> BINDING_KINDS = Set.of("ClusterRoleBinding", "RoleBinding");

  public static final RuleMetadata CLUSTER_ADMIN =
      rule(
          "rbac-cluster-admin",
          "Subject is bound to cluster-admin or to every verb on every resource",
          "サブジェクトが cluster-admin（またはすべてのリソースへの全操作）にバインドされています",
          "bind a role with only the verbs and resources the subject needs",
          "必要な操作とリソースだけを持つロールをバインドしてください",
          Severity.CRITICAL);
  public static final RuleMetadata WILDCARD =
      rule(
          "rbac-wildcard-grant",
          "Subject is granted a wildcard verb or resource",
          "サブジェクトにワイルドカードの操作またはリソースが許可されています",
          "list the verbs and resources explicitly",
          "操作とリソースを明示的に列挙してください",
          Severity.HIGH);
  public static final RuleMetadata SECRETS =
      rule(
          "rbac-secrets-cluster-read",
          "Subject can read Secrets in every namespace",
          "サブジェクトがすべての名前空間の Secret を読み取れます",
          "grant get/list/watch on secrets with a RoleBinding in the namespaces that need it",
          "必要な名前空間で RoleBinding により secrets の get/list/watch を許可してください",
          Severity.HIGH);
  public static final RuleMetadata ESCALATION =
      rule(
          "rbac-escalation-verbs",
          "Subject can escalate, bind or impersonate",
          "サブジェクトが escalate・bind・impersonate を実行できます",
          "remove the escalate, bind and impersonate verbs",
          "escalate・bind・impersonate の操作を削除してください",
          Severity.HIGH);
  public static final RuleMetadata EXEC_BROAD =
      rule(
          "rbac-exec-broad-group",
          "A broad group can exec into pods",
          "広範なグループが Pod で exec できます",
          "bind pods/exec only to named users or groups",
          "pods/exec は特定のユーザーまたはグループにのみバインドしてください",
          Severity.CRITICAL);
  public static final RuleMetadata DEFAULT_SA =
      rule(
          "rbac-default-serviceaccount",
          "A default ServiceAccount is granted permissions",
          "default ServiceAccount に権限が付与されています",
          "create a dedicated ServiceAccount for the workload and bind the role to it",
          "ワークロード専用の ServiceAccount を作成し、そこにロールをバインドしてください",
          Severity.MEDIUM);

  /** Every RBAC risk rule, in reporting order. */
  public static final List<RuleMetadata> RULES =
      List.of(CLUSTER_ADMIN, WILDCARD, SECRETS, ESCALATION, EXEC_BROAD, DEFAULT_SA);

  private static RuleMetadata rule(
      String id, String en, String ja, String fixEn, String fixJa, Severity severity) {
    return RuleMetadata.builder(id, RuleMetadata.Source.KUBERNETES)
        .title(en, ja)
        .remediation(
            fixEn, fixJa, "https://kubernetes.io/docs/concepts/security/rbac-good-practices/")
        .severity(severity)
        .appliesTo(BINDING_KINDS)
        .build();
  }

  /** One risky grant to one subject through one binding. */
  public record Risk(HasMetadata binding, Violation violation) {}

  /** The risks of every binding. */
  public static List<Risk> analyze(
      List<ClusterRole> clusterRoles,
      List<Role> roles,
      List<ClusterRoleBinding> clusterBindings,
      List<RoleBinding> bindings) {
    var crs = new HashMap<String, ClusterRole>();
    for (var r : clusterRoles) {
      crs.put(r.getMetadata().getName(), r);
    }
    var rs = new HashMap<String, Role>();
    for (var r : roles) {
      rs.put(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(), r);
    }
    var out = new ArrayList<Risk>();
    for (var b : clusterBindings) {
      var ref = b.getRoleRef();
      var rules = rules(ref, null, crs, rs);
      if (rules != null && !systemBinding(b)) {
        judge(b, "ClusterRoleBinding", null, ref, rules, b.getSubjects(), true, out);
      }
    }
    for (var b : bindings) {
      var ns = b.getMetadata().getNamespace();
      var ref = b.getRoleRef();
      var rules = rules(ref, ns, crs, rs);
      if (rules != null && !systemBinding(b)) {
        judge(b, "RoleBinding", ns, ref, rules, b.getSubjects(), false, out);
      }
    }
    return out;
  }

  /** The rules a roleRef names; null when the role does not exist (it grants nothing). */
  private static List<PolicyRule> rules(
      RoleRef ref, String ns, Map<String, ClusterRole> crs, Map<String, Role> rs) {
    if (ref == null) {
      return null;
    }
    if ("ClusterRole".equals(ref.getKind())) {
      var r = crs.get(ref.getName());
      return r == null ? null : nn(r.getRules());
    }
    if ("Role".equals(ref.getKind()) && ns != null) {
      var r = rs.get(ns + "/" + ref.getName());
      return r == null ? null : nn(r.getRules());
    }
    return null;
  }

  /** The API server's own default bindings. */
  static boolean systemBinding(HasMetadata b) {
    var labels = b.getMetadata().getLabels();
    return labels != null && "rbac-defaults".equals(labels.get("kubernetes.io/bootstrapping"));
  }

  /**
   * Control-plane identities: system:* users and groups (not the broad groups), kube-system SAs.
   */
  static boolean systemSubject(Subject s) {
    var name = s.getName() == null ? "" : s.getName();
    return switch (s.getKind() == null ? "" : s.getKind()) {
      case "ServiceAccount" -> "kube-system".equals(s.getNamespace());
      case "Group" -> name.startsWith("system:") && !broad(name);
      default -> name.startsWith("system:");
    };
  }

  static boolean broad(String group) {
    return BROAD_GROUPS.contains(group) || group.startsWith("system:serviceaccounts:");
  }

  private static void judge(
      HasMetadata binding,
      String kind,
      String ns,
      RoleRef ref,
      List<PolicyRule> rules,
      List<Subject> subjects,
      boolean clusterWide,
      List<Risk> out) {
    if (subjects == null || rules.isEmpty()) {
      return;
    }
    var role = ref.getKind() + " " + ref.getName();
    var scope = clusterWide ? "in every namespace" : "in namespace " + ns;
    boolean admin =
        "cluster-admin".equals(ref.getName()) && "ClusterRole".equals(ref.getKind())
            || rules.stream().anyMatch(RbacRisks::everything);
    var wildcard = new LinkedHashSet<String>();
    var secrets = new LinkedHashSet<String>();
    var escalation = new LinkedHashSet<String>();
    var exec = new LinkedHashSet<String>();
    for (var r : rules) {
      if (r.getResources() == null || r.getResources().isEmpty()) {
        continue; // a nonResourceURLs rule (/metrics, /healthz ...) grants no API resource
      }
      if (!admin && (has(r.getVerbs(), "*") || has(r.getResources(), "*"))) {
        wildcard.add(describe(r));
      }
      for (var v : List.of("get", "list", "watch")) {
        if (grants(r, "", "secrets", v)) {
          secrets.add(v);
        }
      }
      for (var v : List.of("escalate", "bind")) {
        for (var res : List.of("roles", "clusterroles")) {
          if (grants(r, "rbac.authorization.k8s.io", res, v)) {
            escalation.add(v + " " + res);
          }
        }
      }
      for (var res : List.of("users", "groups", "serviceaccounts")) {
        if (grants(r, "", res, "impersonate")) {
          escalation.add("impersonate " + res);
        }
      }
      for (var v : List.of("create", "get")) {
        if (grants(r, "", "pods/exec", v)) {
          exec.add(v + " pods/exec");
        }
      }
    }
    for (int i = 0; i < subjects.size(); i++) {
      var s = subjects.get(i);
      if (s == null || systemSubject(s)) {
        continue;
      }
      var who = subject(s);
      var path = "subjects[" + i + "]";
      var base = who + " (" + path + ") is granted by " + role + " " + scope + ": ";
      if (admin) {
        add(
            out,
            binding,
            kind,
            ns,
            CLUSTER_ADMIN,
            path,
            who,
            base + "every verb on every resource");
      } else if (!wildcard.isEmpty()) {
        add(out, binding, kind, ns, WILDCARD, path, who, base + String.join("; ", wildcard));
      }
      if (!admin && clusterWide && !secrets.isEmpty()) {
        add(
            out,
            binding,
            kind,
            ns,
            SECRETS,
            path,
            who,
            base + String.join(", ", secrets) + " secrets");
      }
      if (!admin && !escalation.isEmpty()) {
        add(out, binding, kind, ns, ESCALATION, path, who, base + String.join(", ", escalation));
      }
      if ("Group".equals(s.getKind()) && broad(s.getName()) && (admin || !exec.isEmpty())) {
        add(
            out,
            binding,
            kind,
            ns,
            EXEC_BROAD,
            path,
            who,
            base + (exec.isEmpty() ? "create pods/exec" : String.join(", ", exec)));
      }
      if ("ServiceAccount".equals(s.getKind()) && "default".equals(s.getName())) {
        add(
            out,
            binding,
            kind,
            ns,
            DEFAULT_SA,
            path,
            who,
            base
                + rules.size()
                + " rule(s): "
                + describe(rules.get(0))
                + (rules.size() > 1 ? ", …" : ""));
      }
    }
  }

  private static void add(
      List<Risk> out,
      HasMetadata binding,
      String kind,
      String ns,
      RuleMetadata rule,
      String path,
      String who,
      String detail) {
    out.add(
        new Risk(
            binding,
            new Violation(
                rule,
                Enforcement.AUDIT,
                POLICY,
                kind,
                ns,
                binding.getMetadata().getName(),
                null,
                path,
                rule.id() + "/" + who,
                detail,
                null)));
  }

  private static String subject(Subject s) {
    var ns = "ServiceAccount".equals(s.getKind()) ? s.getNamespace() + "/" : "";
    return s.getKind() + " " + ns + Shown.name(s.getName());
  }

  /** Every verb on every resource of every API group. */
  private static boolean everything(PolicyRule r) {
    return has(r.getVerbs(), "*") && has(r.getResources(), "*") && has(r.getApiGroups(), "*");
  }

  static boolean grants(PolicyRule r, String group, String resource, String verb) {
    if (r.getNonResourceURLs() != null
        && !r.getNonResourceURLs().isEmpty()
        && (r.getResources() == null || r.getResources().isEmpty())) {
      return false;
    }
    boolean g = has(r.getApiGroups(), "*") || has(r.getApiGroups(), group);
    boolean res =
        has(r.getResources(), "*")
            || has(r.getResources(), resource)
            || (resource.contains("/") && has(r.getResources(), resource.split("/")[0] + "/*"));
    boolean v = has(r.getVerbs(), "*") || has(r.getVerbs(), verb);
    return g && res && v;
  }

  private static boolean has(List<String> l, String v) {
    return l != null && l.contains(v);
  }

  private static String describe(PolicyRule r) {
    return "verbs "
        + nn(r.getVerbs())
        + " on "
        + nn(r.getResources())
        + " in groups "
        + nn(r.getApiGroups());
  }

  private static <T> List<T> nn(List<T> l) {
    return l == null ? List.of() : l;
  }
}
