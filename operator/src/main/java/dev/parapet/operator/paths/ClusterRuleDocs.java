package dev.parapet.operator.paths;

import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.rbac.RbacRisks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster-audit rules that are not admission rules (RBAC risk and cross-plane attack paths) as
 * a Markdown section of {@code docs/rules.md}, generated from their metadata with one example each
 * ({@code CatalogueDriftTest} checks it for drift and that every rule has an example).
 */
public final class ClusterRuleDocs {
  private ClusterRuleDocs() {}

  /** Example Finding message (detail) per rule id: what the audit writes for a typical case. */
  static final Map<String, String> EXAMPLES =
      Map.ofEntries(
          Map.entry(
              "rbac-cluster-admin",
              "ClusterRoleBinding alice-admin: User alice (subjects[0]) is granted by ClusterRole"
                  + " cluster-admin in every namespace: every verb on every resource"),
          Map.entry(
              "rbac-wildcard-grant",
              "ClusterRoleBinding ci-wildcard: Group ci (subjects[0]) is granted by ClusterRole"
                  + " ci in every namespace: verbs [get, list] on [*] in groups [apps]"),
          Map.entry(
              "rbac-secrets-cluster-read",
              "ClusterRoleBinding reader-secrets: ServiceAccount monitoring/reader (subjects[0]) is"
                  + " granted by ClusterRole secrets in every namespace: get, list, watch secrets"),
          Map.entry(
              "rbac-escalation-verbs",
              "ClusterRoleBinding deployer: User deployer (subjects[0]) is granted by ClusterRole"
                  + " escalate in every namespace: escalate clusterroles, bind clusterroles"),
          Map.entry(
              "rbac-exec-broad-group",
              "ClusterRoleBinding everyone-exec: Group system:authenticated (subjects[0]) is granted"
                  + " by ClusterRole exec in every namespace: create pods/exec"),
          Map.entry(
              "rbac-default-serviceaccount",
              "RoleBinding shop/default-sa: ServiceAccount shop/default (subjects[0]) is granted by"
                  + " Role reader in namespace shop: 1 rule(s): verbs [get] on [configmaps] in groups []"),
          Map.entry(
              "path-exposed-admin-role",
              "Deployment shop/web: path Deployment shop/web (exposed by Service shop/web-lb"
                  + " (LoadBalancer)) → ServiceAccount shop/web (eks.amazonaws.com/role-arn) → role"
                  + " arn:aws:iam::123456789012:role/web-admin → policy"
                  + " arn:aws:iam::123456789012:policy/web-admin (statement #0: Allow [*] on [*]) →"
                  + " resource * (every action on every resource); hop findings:"
                  + " parapet-system/aws-iam-admin-policy-attached-…"),
          Map.entry(
              "path-exposed-data-role",
              "Deployment shop/analytics: path Deployment shop/analytics (exposed by Ingress"
                  + " shop/analytics via Service analytics) → ServiceAccount shop/analytics"
                  + " (eks.amazonaws.com/role-arn) → role arn:aws:iam::123456789012:role/analytics →"
                  + " policy arn:aws:iam::123456789012:policy/read-all (statement ReadAll: Allow"
                  + " [s3:Get*, s3:List*] on [*]) → resource every S3 object (s3:GetObject on"
                  + " arn:aws:s3:::*/*); hop findings: none"),
          Map.entry(
              "path-role-reads-flagged-bucket",
              "Deployment shop/reports: path Deployment shop/reports → ServiceAccount shop/reports"
                  + " (eks.amazonaws.com/role-arn) → role arn:aws:iam::123456789012:role/reports →"
                  + " policy arn:aws:iam::123456789012:role/reports inline policy reports-read"
                  + " (statement #0: Allow [s3:GetObject] on [arn:aws:s3:::reports-public/*]) →"
                  + " bucket reports-public (public); hop findings:"
                  + " parapet-system/aws-s3-bucket-public-…"),
          Map.entry(
              "path-role-trusts-every-serviceaccount",
              "Deployment shop/reports: path Deployment shop/reports → ServiceAccount shop/reports"
                  + " (eks.amazonaws.com/role-arn) → role arn:aws:iam::123456789012:role/reports →"
                  + " trust policy statement #0: sts:AssumeRoleWithWebIdentity from"
                  + " arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
                  + " with oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:sub like"
                  + " \"system:serviceaccount:*\" → every ServiceAccount of the cluster; hop findings:"
                  + " none"),
          Map.entry(
              "path-unknown",
              "Deployment shop/elsewhere: path Deployment shop/elsewhere (exposed by Service"
                  + " shop/elsewhere (LoadBalancer)) → ServiceAccount shop/elsewhere"
                  + " (eks.amazonaws.com/role-arn) → role arn:aws:iam::210987654321:role/admin: AWS"
                  + " side missing: no scan has collected the IAM data of account 210987654321 (no"
                  + " CloudAccount covers it, or its policy enables no rule that reads"
                  + " iam:GetAccountAuthorizationDetails)"));

  /** Every rule of this section. */
  public static List<RuleMetadata> rules() {
    var all = new ArrayList<RuleMetadata>(RbacRisks.RULES);
    all.addAll(AttackPaths.RULES);
    return all;
  }

  /** The section, starting with a blank line and a level-2 heading. */
  public static String markdown() {
    var md = new StringBuilder();
    md.append("\n## Cluster audit: RBAC risk and cross-plane attack paths\n\n");
    md.append(
        "Not admission rules: the controller's cluster audit writes them as `source: kubernetes`"
            + " Findings (docs/webhook.md#rbac-risk, docs/webhook.md#attack-paths).");
    md.append(" ").append(rules().size()).append(" rules.\n\n");
    md.append("| id | title | タイトル | severity | example message |\n");
    md.append("|---|---|---|---|---|\n");
    for (var r : rules()) {
      var example = EXAMPLES.get(r.id());
      if (example == null) {
        throw new IllegalStateException("no example for " + r.id());
      }
      md.append("| `")
          .append(r.id())
          .append("` | ")
          .append(r.titleEn())
          .append(" | ")
          .append(r.titleJa())
          .append(" | ")
          .append(r.severity().wireValue())
          .append(" | ")
          .append(example.replace("|", "\\|"))
          .append(" |\n");
    }
    return md.toString();
  }
}
