package dev.parapet.operator.paths;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.operator.findings.DesiredFinding;
import dev.parapet.operator.findings.WorkloadFindings;
import dev.parapet.webhook.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Cross-plane attack paths: joins a workload's ServiceAccount to the IAM role it assumes (IRSA: the
 * {@code eks.amazonaws.com/role-arn} annotation of the ServiceAccount; EKS Pod Identity
 * associations) and the role's effective permissions from the IAM data the AWS engine collected
 * ({@link CloudIdentity}, {@link IamPermissions}), and reports, as a Finding of the workload in its
 * namespace:
 *
 * <ul>
 *   <li>{@code path-exposed-admin-role}: an internet-exposed workload (a LoadBalancer or NodePort
 *       Service selecting its pods, or an Ingress routing to such a Service) whose role has
 *       administrator access ({@code *} on {@code *});
 *   <li>{@code path-exposed-data-role}: the same with a role that reads every S3 object ({@code
 *       s3:GetObject} on every bucket);
 *   <li>{@code path-role-reads-flagged-bucket}: a workload whose role can read a bucket Parapet
 *       found public ({@code aws-s3-bucket-public}) or not enforcing TLS ({@code
 *       aws-s3-bucket-tls-not-enforced}), one per bucket;
 *   <li>{@code path-role-trusts-every-serviceaccount}: a workload's role whose trust policy lets
 *       every ServiceAccount of the cluster's OIDC provider assume it (no {@code :sub} condition,
 *       or one matching every namespace);
 *   <li>{@code path-unknown}: the workload's ServiceAccount names a role but the AWS side is not
 *       known (no scan collected the account's IAM data, it could not be read, or the role is not
 *       in it), or the role's trust policy does not admit the ServiceAccount (no path, said as
 *       such): never reported as a pass.
 * </ul>
 *
 * <p>Each message names every hop (workload, ServiceAccount, role, policy and statement, resource)
 * and ends with the names of the hop Findings (open Findings about the workload, its exposing
 * Services/Ingresses, the role, the granting managed policy or the bucket). Severity comes from the
 * combination: an exposed workload raises the flagged-bucket path by one level, an administrator
 * role raises the trust path to critical.
 *
 * <p>A ServiceAccount reaches a role through the IRSA annotation or an EKS Pod Identity association
 * (from the {@code Clusters} dataset of every scanned account and region). The audit does not know
 * which EKS cluster it runs in, so an association is joined by namespace and ServiceAccount name
 * for any scanned cluster, and the message says so ("cluster identity not known"). A link counts
 * only when the role's trust policy admits it ({@link #irsaTrust}, {@link #podIdentityTrust});
 * otherwise the Finding is path-unknown saying the workload cannot use the role. Partial: a cluster
 * whose association list could not be read adds no link (its error is in the scan's coverage, not
 * in a path Finding).
 */
public final class AttackPaths {
  private AttackPaths() {}

  public static final String POLICY = "attack-paths";
  public static final String ROLE_ARN = "eks.amazonaws.com/role-arn";
  static final String URL =
      "https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html";
  private static final Set<String> KINDS =
      Set.of("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob");

  public static final RuleMetadata EXPOSED_ADMIN =
      rule(
          "path-exposed-admin-role",
          "Internet-exposed workload can act as an IAM role with administrator access",
          "インターネットに公開されたワークロードが管理者権限を持つ IAM ロールとして動作できます",
          "give the workload's ServiceAccount a role with only the actions it needs, or stop exposing it",
          "ServiceAccount に必要な操作だけを持つロールを割り当てるか、公開をやめてください",
          Severity.CRITICAL);
  public static final RuleMetadata EXPOSED_DATA =
      rule(
          "path-exposed-data-role",
          "Internet-exposed workload can act as an IAM role that reads every S3 bucket",
          "インターネットに公開されたワークロードがすべての S3 バケットを読める IAM ロールとして動作できます",
          "limit the role's s3 actions to the buckets and prefixes the workload needs",
          "ロールの s3 操作をワークロードが必要とするバケットとプレフィックスに限定してください",
          Severity.HIGH);
  public static final RuleMetadata FLAGGED_BUCKET =
      rule(
          "path-role-reads-flagged-bucket",
          "Workload can act as an IAM role that reads a bucket found public or not enforcing TLS",
          "ワークロードが、公開または TLS 未強制と判定されたバケットを読める IAM ロールとして動作できます",
          "fix the bucket's finding, or remove the bucket from the role's policy",
          "バケットの検出事項を修正するか、ロールのポリシーからバケットを外してください",
          Severity.HIGH);
  public static final RuleMetadata TRUSTS_EVERY_SA =
      rule(
          "path-role-trusts-every-serviceaccount",
          "Workload's IAM role can be assumed by every ServiceAccount of the cluster",
          "ワークロードの IAM ロールをクラスターのすべての ServiceAccount が引き受けられます",
          "pin the trust policy's <issuer>:sub condition to system:serviceaccount:<namespace>:<name>",
          "信頼ポリシーの <issuer>:sub 条件を system:serviceaccount:<namespace>:<name> に固定してください",
          Severity.HIGH);
  public static final RuleMetadata UNKNOWN =
      rule(
          "path-unknown",
          "Attack path of a workload's IAM role could not be judged: one side is not known",
          "ワークロードの IAM ロールの攻撃経路を判定できません（一方の情報がありません）",
          "add a CloudAccount for the role's account whose policy enables aws-iam-admin-policy-attached",
          "ロールのアカウントの CloudAccount を追加し、aws-iam-admin-policy-attached を有効にしてください",
          Severity.INFORMATIONAL);

  /** Every path rule, in reporting order. */
  public static final List<RuleMetadata> RULES =
      List.of(EXPOSED_ADMIN, EXPOSED_DATA, FLAGGED_BUCKET, TRUSTS_EVERY_SA, UNKNOWN);

  /** S3 rules whose open Findings mark a bucket, and what they say about it. */
  static final Map<String, String> BUCKET_RULES =
      Map.of(
          "aws-s3-bucket-public", "public", "aws-s3-bucket-tls-not-enforced", "not enforcing TLS");

  private static RuleMetadata rule(
      String id, String en, String ja, String fixEn, String fixJa, Severity severity) {
    return RuleMetadata.builder(id, RuleMetadata.Source.KUBERNETES)
        .title(en, ja)
        .remediation(fixEn, fixJa, URL)
        .severity(severity)
        .appliesTo(KINDS)
        .build();
  }

  /** The cluster side: workloads (any audited kinds), Services, Ingresses, ServiceAccounts. */
  public record ClusterSide(
      Collection<? extends HasMetadata> objects,
      Collection<Ingress> ingresses,
      Collection<ServiceAccount> serviceAccounts) {}

  /**
   * An open Finding as the join uses it: its {@code namespace/name}, rule id and resource (what the
   * Finding cache's compact projection keeps, so the join builds no whole Finding).
   */
  public record OpenFinding(String key, String ruleId, FindingSpec.Resource resource) {

    /** The open Finding of this cached spec and status; null when it is not open or has no rule. */
    public static OpenFinding of(String key, FindingSpec spec, FindingStatus status) {
      if (spec == null
          || spec.rule() == null
          || (status != null && status.state() != FindingStatus.State.OPEN)) {
        return null;
      }
      return new OpenFinding(key, spec.rule().id(), spec.resource());
    }
  }

  /**
   * The open Findings of a walk over the Finding cache ({@code FindingStore::forEachCompact}, taken
   * as a function as the metrics take theirs).
   */
  public static List<OpenFinding> open(
      java.util.function.Consumer<dev.parapet.operator.findings.FindingStore.CompactVisitor>
          cache) {
    var out = new ArrayList<OpenFinding>();
    cache.accept(
        (key, spec, status) -> {
          var o = OpenFinding.of(key, spec, status);
          if (o != null) {
            out.add(o);
          }
        });
    return out;
  }

  /** The open ones of whole {@code findings} (callers that hold Findings, tests). */
  public static List<OpenFinding> open(Collection<Finding> findings) {
    return open(
        visitor ->
            findings.forEach(
                f ->
                    visitor.visit(
                        f.getMetadata().getNamespace() + "/" + f.getMetadata().getName(),
                        f.getSpec(),
                        f.getStatus())));
  }

  /**
   * The path Findings. {@code iam} gives an account's latest IAM data; {@code open} are the open
   * Findings already written (hop Findings and flagged buckets come from them; {@link #open}).
   */
  public static List<DesiredFinding> desired(
      ClusterSide cluster,
      Function<String, Optional<CloudIdentity.AccountIam>> iam,
      List<OpenFinding> open,
      Collection<String> excluded) {
    return desired(cluster, iam, (ns, sa) -> List.of(), open, excluded);
  }

  /**
   * The path Findings, joining also the EKS Pod Identity associations {@code podIdentity} gives for
   * a ServiceAccount (namespace, name).
   */
  public static List<DesiredFinding> desired(
      ClusterSide cluster,
      Function<String, Optional<CloudIdentity.AccountIam>> iam,
      java.util.function.BiFunction<String, String, List<CloudIdentity.PodIdentityLink>>
          podIdentity,
      List<OpenFinding> open,
      Collection<String> excluded) {
    var sas = new HashMap<String, ServiceAccount>();
    for (var sa : cluster.serviceAccounts()) {
      sas.put(sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName(), sa);
    }
    var services = new ArrayList<Service>();
    for (var o : cluster.objects()) {
      if (o instanceof Service s) {
        services.add(s);
      }
    }
    var out = new ArrayList<DesiredFinding>();
    for (var o : cluster.objects()) {
      var ns = o.getMetadata().getNamespace();
      var pod = template(o);
      if (pod == null
          || ns == null
          || excluded.contains(ns)
          || WorkloadFindings.auditedThroughOwner(o)) {
        continue;
      }
      var spec = pod.getSpec();
      var saName =
          spec.getServiceAccountName() != null && !spec.getServiceAccountName().isBlank()
              ? spec.getServiceAccountName()
              : spec.getServiceAccount() != null && !spec.getServiceAccount().isBlank()
                  ? spec.getServiceAccount()
                  : "default";
      var sa = sas.get(ns + "/" + saName);
      var annotations = sa == null ? null : sa.getMetadata().getAnnotations();
      var annotated = annotations == null ? null : annotations.get(ROLE_ARN);
      var links = new ArrayList<Link>();
      if (annotated != null && !annotated.isBlank()) {
        links.add(new Link(annotated.strip(), "(" + ROLE_ARN + ")", false, "unknown", null));
      }
      for (var p : podIdentity.apply(ns, saName)) {
        var via =
            "(EKS Pod Identity association "
                + p.associationId()
                + " of cluster "
                + p.cluster()
                + " in account "
                + p.accountId()
                + " "
                + p.region()
                + "; cluster identity not known: joined by namespace and ServiceAccount name)";
        if (p.roleArn() instanceof dev.parapet.operator.aws.inventory.Unknown<String> u) {
          links.add(new Link(null, via, true, "pod-identity#" + p.associationId(), u.error()));
        } else if (p.roleArn() instanceof dev.parapet.operator.aws.inventory.Known<String> k
            && k.value() != null
            && links.stream().noneMatch(l -> k.value().strip().equals(l.roleArn()))) {
          links.add(
              new Link(k.value().strip(), via, true, "pod-identity#" + p.associationId(), null));
        }
      }
      if (links.isEmpty()) {
        continue; // no IAM role through IRSA or Pod Identity: no cross-plane path
      }
      var labels =
          pod.getMetadata() == null || pod.getMetadata().getLabels() == null
              ? Map.<String, String>of()
              : pod.getMetadata().getLabels();
      var exposing = exposure(ns, labels, services, cluster.ingresses());
      var k8sHops = new LinkedHashSet<String>();
      k8sHops.add(o.getKind() + "/" + o.getMetadata().getName());
      k8sHops.addAll(exposing.values());
      for (var link : links) {
        judge(out, o, ns, saName, link, exposing, k8sHops, iam, open);
      }
    }
    return out;
  }

  /**
   * How a ServiceAccount reaches a role: the IRSA annotation or a Pod Identity association ({@code
   * podIdentity}); {@code roleError} when the association's role could not be read.
   */
  record Link(
      String roleArn,
      String via,
      boolean podIdentity,
      String unknownKey,
      dev.parapet.operator.aws.inventory.CollectionError roleError) {}

  private static void judge(
      List<DesiredFinding> out,
      HasMetadata o,
      String ns,
      String saName,
      Link link,
      Map<String, String> exposing,
      Set<String> k8sHops,
      Function<String, Optional<CloudIdentity.AccountIam>> iam,
      List<OpenFinding> open) {
    var roleArn = link.roleArn();
    var head =
        "path "
            + o.getKind()
            + " "
            + ns
            + "/"
            + o.getMetadata().getName()
            + (exposing.isEmpty()
                ? ""
                : " (exposed by " + String.join(", ", exposing.keySet()) + ")")
            + " → ServiceAccount "
            + ns
            + "/"
            + saName
            + " "
            + link.via()
            + " → role "
            + (roleArn == null ? "(unknown)" : roleArn);
    if (link.roleError() != null) {
      out.add(
          finding(
              o,
              UNKNOWN,
              null,
              link.unknownKey(),
              head
                  + ": AWS side missing: the association's role could not be read: "
                  + link.roleError().describe()));
      return;
    }
    var account = arnAccount(roleArn);
    var data = account == null ? Optional.<CloudIdentity.AccountIam>empty() : iam.apply(account);
    if (data.isEmpty()) {
      out.add(
          finding(
              o,
              UNKNOWN,
              null,
              link.unknownKey(),
              head
                  + ": AWS side missing: no scan has collected the IAM data of account "
                  + (account == null ? "(not an IAM role ARN)" : account)
                  + " (no CloudAccount covers it, or its policy enables no rule that reads iam:GetAccountAuthorizationDetails)"));
      return;
    }
    var d = data.get();
    if (!d.known()) {
      var error = ((dev.parapet.operator.aws.inventory.Unknown<?>) d.iam()).error();
      out.add(
          finding(
              o,
              UNKNOWN,
              null,
              link.unknownKey(),
              head
                  + ": AWS side missing: the IAM data of account "
                  + account
                  + " could not be read in the scan of "
                  + d.collectedAt()
                  + ": "
                  + error.describe()));
      return;
    }
    var policies = IamPermissions.ofRole(d.details(), roleArn);
    if (policies == null) {
      out.add(
          finding(
              o,
              UNKNOWN,
              null,
              link.unknownKey(),
              head
                  + ": AWS side missing: the role is not in the IAM data of account "
                  + account
                  + " collected at "
                  + d.collectedAt()));
      return;
    }
    var trustPolicy = d.details().roleTrustPolicies().get(roleArn);
    var admits =
        link.podIdentity() ? podIdentityTrust(trustPolicy) : irsaTrust(trustPolicy, ns, saName);
    if (admits == null) {
      // The workload cannot assume the role through this link: no path. Said as path-unknown
      // (informational), never as a pass: the link is there but leads nowhere today.
      out.add(
          finding(
              o,
              UNKNOWN,
              null,
              link.unknownKey(),
              head
                  + ": no path: the role's trust policy "
                  + (trustPolicy == null ? "is not in the IAM data" : "does not admit")
                  + " ServiceAccount "
                  + ns
                  + "/"
                  + saName
                  + (link.podIdentity()
                      ? " (needs an Allow of sts:AssumeRole and sts:TagSession for the service"
                          + " principal pods.eks.amazonaws.com)"
                      : " (needs an Allow of sts:AssumeRoleWithWebIdentity for a Federated OIDC"
                          + " provider whose :sub condition matches system:serviceaccount:"
                          + ns
                          + ":"
                          + saName
                          + ")")
                  + ", so the workload cannot use the role (account "
                  + account
                  + ", IAM data collected at "
                  + d.collectedAt()
                  + ")"));
      return;
    }
    head = head + " (trusted by " + admits + ")";
    var admin = IamPermissions.grant(policies, "*", "*");
    var data3 = IamPermissions.grant(policies, "s3:GetObject", "arn:aws:s3:::*/*");
    if (!exposing.isEmpty() && admin != null) {
      var hops = hops(open, ns, k8sHops, Set.of(roleArn, admin.policy().ref()));
      out.add(
          finding(
              o,
              EXPOSED_ADMIN,
              null,
              roleArn,
              head
                  + " → policy "
                  + admin.describe()
                  + " → resource * (every action on every resource)"
                  + hops));
    } else if (!exposing.isEmpty() && data3 != null) {
      var hops = hops(open, ns, k8sHops, Set.of(roleArn, data3.policy().ref()));
      out.add(
          finding(
              o,
              EXPOSED_DATA,
              null,
              roleArn,
              head
                  + " → policy "
                  + data3.describe()
                  + " → resource every S3 object (s3:GetObject on arn:aws:s3:::*/*)"
                  + hops));
    }
    for (var bucket : flaggedBuckets(open, account).entrySet()) {
      var arn = "arn:aws:s3:::" + bucket.getKey();
      var g = IamPermissions.grant(policies, "s3:GetObject", arn + "/*");
      if (g == null) {
        return;
      }
      var base = bucket.getValue().contains("public") ? Severity.HIGH : Severity.MEDIUM;
      var severity = exposing.isEmpty() ? base : raise(base);
      var hops = hops(open, ns, k8sHops, Set.of(roleArn, g.policy().ref(), arn));
      out.add(
          finding(
              o,
              FLAGGED_BUCKET,
              severity,
              roleArn + "#" + arn,
              head
                  + " → policy "
                  + g.describe()
                  + " → bucket "
                  + bucket.getKey()
                  + " ("
                  + bucket.getValue()
                  + ")"
                  + hops));
    }
    var wildcard = link.podIdentity() ? null : wildcardTrust(trustPolicy);
    if (wildcard != null) {
      var hops = hops(open, ns, k8sHops, Set.of(roleArn));
      out.add(
          finding(
              o,
              TRUSTS_EVERY_SA,
              admin != null ? Severity.CRITICAL : null,
              roleArn,
              head
                  + " → trust policy "
                  + wildcard
                  + " → every ServiceAccount of the cluster"
                  + (admin != null
                      ? " (the role has administrator access: " + admin.describe() + ")"
                      : "")
                  + hops));
    }
  }

  /**
   * The trust statement that lets ServiceAccount {@code ns}/{@code sa} assume the role through
   * IRSA, as {@code <statement> of <OIDC provider>}; null when none does. A statement admits it
   * when it allows {@code sts:AssumeRoleWithWebIdentity} to a Federated {@code oidc-provider}
   * principal and every StringEquals/StringLike block (ForAnyValue: too) naming the provider's
   * {@code :sub} key has a value matching {@code system:serviceaccount:<ns>:<sa>} (StringLike with
   * IAM wildcards); no {@code :sub} condition admits every ServiceAccount. The cluster's own issuer
   * is not known, so any OIDC provider counts; other operators on {@code :sub} (e.g.
   * StringNotEquals) are not read: both over-approach, the safe side for a path.
   */
  static String irsaTrust(
      dev.parapet.operator.aws.inventory.PolicyDocument trust, String ns, String sa) {
    if (trust == null) {
      return null;
    }
    var subject = "system:serviceaccount:" + ns + ":" + sa;
    var statements = trust.statements();
    for (var i = 0; i < statements.size(); i++) {
      var s = statements.get(i);
      if (!s.allows()
          || s.actions().stream()
              .noneMatch(a -> IamPermissions.matches(a, "sts:AssumeRoleWithWebIdentity", true))) {
        continue;
      }
      for (var principal : s.principals()) {
        var at = principal.indexOf(":oidc-provider/");
        if (at < 0) {
          continue;
        }
        var issuer = principal.substring(at + ":oidc-provider/".length());
        var admitted = true;
        for (var op : s.conditions().entrySet()) {
          var operator = op.getKey().toLowerCase(Locale.ROOT).replace("foranyvalue:", "");
          if (!operator.equals("stringequals") && !operator.equals("stringlike")) {
            continue;
          }
          for (var key : op.getValue().entrySet()) {
            if (key.getKey().equalsIgnoreCase(issuer + ":sub")
                && key.getValue().stream()
                    .noneMatch(v -> matchesSub(v, subject, operator.equals("stringlike")))) {
              admitted = false;
            }
          }
        }
        if (admitted) {
          return (s.sid().isEmpty() ? "statement #" + i : "statement " + s.sid())
              + " of "
              + principal;
        }
      }
    }
    return null;
  }

  /**
   * The trust statement that lets EKS Pod Identity assume the role: an Allow of {@code
   * sts:AssumeRole} and {@code sts:TagSession} (one statement, as EKS requires both) for the
   * service principal {@code pods.eks.amazonaws.com}; null when none does. Conditions are not read
   * (over-approach).
   */
  static String podIdentityTrust(dev.parapet.operator.aws.inventory.PolicyDocument trust) {
    if (trust == null) {
      return null;
    }
    var statements = trust.statements();
    for (var i = 0; i < statements.size(); i++) {
      var s = statements.get(i);
      if (s.allows()
          && s.principals().contains("pods.eks.amazonaws.com")
          && s.actions().stream().anyMatch(a -> IamPermissions.matches(a, "sts:AssumeRole", true))
          && s.actions().stream()
              .anyMatch(a -> IamPermissions.matches(a, "sts:TagSession", true))) {
        return (s.sid().isEmpty() ? "statement #" + i : "statement " + s.sid())
            + " of pods.eks.amazonaws.com";
      }
    }
    return null;
  }

  /**
   * The trust statement that lets every ServiceAccount of an OIDC provider assume the role, as
   * {@code <statement>: sts:AssumeRoleWithWebIdentity from <provider> with <sub condition>}; null
   * when none does.
   */
  static String wildcardTrust(dev.parapet.operator.aws.inventory.PolicyDocument trust) {
    if (trust == null) {
      return null;
    }
    var statements = trust.statements();
    for (var i = 0; i < statements.size(); i++) {
      var s = statements.get(i);
      if (!s.allows()
          || s.actions().stream()
              .noneMatch(a -> IamPermissions.matches(a, "sts:AssumeRoleWithWebIdentity", true))) {
        continue;
      }
      for (var principal : s.principals()) {
        var at = principal.indexOf(":oidc-provider/");
        if (at < 0) {
          continue;
        }
        var issuer = principal.substring(at + ":oidc-provider/".length());
        var subs = new ArrayList<String>();
        boolean like = false;
        for (var op : s.conditions().entrySet()) {
          var operator = op.getKey().toLowerCase(Locale.ROOT).replace("foranyvalue:", "");
          if (!operator.equals("stringequals") && !operator.equals("stringlike")) {
            continue;
          }
          for (var key : op.getValue().entrySet()) {
            if (key.getKey().equalsIgnoreCase(issuer + ":sub")) {
              subs.addAll(key.getValue());
              like |= operator.equals("stringlike");
            }
          }
        }
        var sid = s.sid().isEmpty() ? "statement #" + i : "statement " + s.sid();
        if (subs.isEmpty()) {
          return sid
              + ": sts:AssumeRoleWithWebIdentity from "
              + principal
              + " with no "
              + issuer
              + ":sub condition";
        }
        final boolean pattern = like;
        var every =
            subs.stream()
                .filter(
                    v ->
                        matchesSub(v, "system:serviceaccount:ns-a:sa-a", pattern)
                            && matchesSub(v, "system:serviceaccount:zz-other:other", pattern))
                .findFirst();
        if (every.isPresent()) {
          return sid
              + ": sts:AssumeRoleWithWebIdentity from "
              + principal
              + " with "
              + issuer
              + ":sub like \""
              + every.get()
              + "\"";
        }
      }
    }
    return null;
  }

  private static boolean matchesSub(String value, String probe, boolean pattern) {
    return pattern ? IamPermissions.matches(value, probe, false) : value.equals(probe);
  }

  /** Exposing objects: description ("Service ns/x (LoadBalancer)") to hop key ("Service/x"). */
  static Map<String, String> exposure(
      String ns,
      Map<String, String> labels,
      List<Service> services,
      Collection<Ingress> ingresses) {
    var out = new java.util.LinkedHashMap<String, String>();
    var selecting = new HashMap<String, Service>();
    for (var s : services) {
      if (!ns.equals(s.getMetadata().getNamespace()) || s.getSpec() == null) {
        continue;
      }
      var selector = s.getSpec().getSelector();
      if (selector == null
          || selector.isEmpty()
          || !labels.entrySet().containsAll(selector.entrySet())) {
        continue;
      }
      selecting.put(s.getMetadata().getName(), s);
      var type = s.getSpec().getType();
      if ("LoadBalancer".equals(type) || "NodePort".equals(type)) {
        out.put(
            "Service " + ns + "/" + s.getMetadata().getName() + " (" + type + ")",
            "Service/" + s.getMetadata().getName());
      }
    }
    for (var ing : ingresses) {
      if (!ns.equals(ing.getMetadata().getNamespace()) || ing.getSpec() == null) {
        continue;
      }
      var backends = new ArrayList<IngressBackend>();
      if (ing.getSpec().getDefaultBackend() != null) {
        backends.add(ing.getSpec().getDefaultBackend());
      }
      if (ing.getSpec().getRules() != null) {
        for (var r : ing.getSpec().getRules()) {
          if (r.getHttp() != null && r.getHttp().getPaths() != null) {
            r.getHttp().getPaths().forEach(p -> backends.add(p.getBackend()));
          }
        }
      }
      for (var b : backends) {
        if (b != null
            && b.getService() != null
            && selecting.containsKey(b.getService().getName())) {
          out.put(
              "Ingress "
                  + ns
                  + "/"
                  + ing.getMetadata().getName()
                  + " via Service "
                  + b.getService().getName(),
              "Ingress/" + ing.getMetadata().getName());
          break;
        }
      }
    }
    return out;
  }

  /** Open Findings' buckets of an account: bucket name to what the Finding says about it. */
  static Map<String, String> flaggedBuckets(List<OpenFinding> open, String account) {
    var out = new java.util.TreeMap<String, String>();
    for (var f : open) {
      var what = BUCKET_RULES.get(f.ruleId());
      var r = f.resource();
      if (what == null || r == null || r.arn() == null || !r.arn().startsWith("arn:aws:s3:::")) {
        continue;
      }
      if (r.accountId() != null && !r.accountId().equals(account)) {
        continue;
      }
      out.merge(
          r.arn().substring("arn:aws:s3:::".length()),
          what,
          (a, b) -> a.equals(b) ? a : a + ", " + b);
    }
    return out;
  }

  /** {@code ; hop findings: ns/name, ...} of the open Findings about a hop. */
  static String hops(List<OpenFinding> open, String ns, Set<String> k8s, Set<String> arns) {
    var names = new TreeSet<String>();
    for (var f : open) {
      var r = f.resource();
      if (r == null || f.ruleId().startsWith("path-")) {
        continue;
      }
      boolean hop =
          r.arn() != null && arns.contains(r.arn())
              || ns.equals(r.namespace())
                  && r.kind() != null
                  && k8s.contains(r.kind() + "/" + r.name());
      if (hop) {
        names.add(f.key());
      }
    }
    return "; hop findings: " + (names.isEmpty() ? "none" : String.join(", ", names));
  }

  private static DesiredFinding finding(
      HasMetadata o, RuleMetadata rule, Severity severity, String key, String detail) {
    var v =
        new Violation(
            rule,
            Enforcement.AUDIT,
            POLICY,
            o.getKind(),
            o.getMetadata().getNamespace(),
            o.getMetadata().getName(),
            null,
            "spec",
            rule.id() + "/" + key,
            detail,
            null);
    var d = WorkloadFindings.desired(o, v);
    if (severity == null || severity == rule.severity()) {
      return d;
    }
    var s = d.spec();
    var r = s.rule();
    var labels = new HashMap<>(d.labels());
    labels.put(Finding.LABEL_SEVERITY, severity.wireValue());
    return new DesiredFinding(
        d.namespace(),
        d.name(),
        labels,
        new FindingSpec(
            s.source(),
            new FindingSpec.Rule(r.id(), r.title(), r.titleJa(), severity, r.compliance()),
            s.resource(),
            s.message(),
            s.remediation()),
        d.owner(),
        d.suppressedBy());
  }

  static Severity raise(Severity s) {
    return s.ordinal() == 0 ? s : Severity.values()[s.ordinal() - 1];
  }

  private static String arnAccount(String arn) {
    var parts = arn.split(":", 6);
    return parts.length == 6
            && parts[0].equals("arn")
            && parts[2].equals("iam")
            && !parts[4].isEmpty()
        ? parts[4]
        : null;
  }

  /** The pod template (or the Pod itself) of a workload; null for other kinds. */
  static PodTemplateSpec template(HasMetadata o) {
    PodTemplateSpec t = null;
    if (o instanceof Pod p) {
      t = new PodTemplateSpec(p.getMetadata(), p.getSpec());
    } else if (o instanceof Deployment d && d.getSpec() != null) {
      t = d.getSpec().getTemplate();
    } else if (o instanceof StatefulSet s && s.getSpec() != null) {
      t = s.getSpec().getTemplate();
    } else if (o instanceof DaemonSet s && s.getSpec() != null) {
      t = s.getSpec().getTemplate();
    } else if (o instanceof ReplicaSet s && s.getSpec() != null) {
      t = s.getSpec().getTemplate();
    } else if (o instanceof Job j && j.getSpec() != null) {
      t = j.getSpec().getTemplate();
    } else if (o instanceof CronJob c
        && c.getSpec() != null
        && c.getSpec().getJobTemplate() != null
        && c.getSpec().getJobTemplate().getSpec() != null) {
      t = c.getSpec().getJobTemplate().getSpec().getTemplate();
    }
    return t == null || t.getSpec() == null ? null : t;
  }
}
