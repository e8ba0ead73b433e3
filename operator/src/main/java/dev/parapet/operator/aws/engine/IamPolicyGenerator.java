package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.export.SecurityHubExporter;
import dev.parapet.operator.aws.rules.AwsRule;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Emits the minimal read-only IAM policy for a set of rules, and the separate Security Hub export
 * policy, as stable JSON.
 */
public final class IamPolicyGenerator {
  /** Every scan calls these, whatever the rules. */
  public static final List<String> BASE_ACTIONS =
      List.of("sts:GetCallerIdentity", "ec2:DescribeRegions");

  /** API operations whose IAM action has another name ({@code service:Operation} keys). */
  private static final java.util.Map<String, String> ACTION_NAMES =
      java.util.Map.of(
          "s3:ListBuckets", "s3:ListAllMyBuckets",
          "s3:GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock",
          "s3control:GetPublicAccessBlock", "s3:GetAccountPublicAccessBlock");

  private IamPolicyGenerator() {}

  /**
   * The IAM action that authorises an API call counted as {@code service:Operation} (most are the
   * same string; S3's differ).
   */
  public static String iamAction(String apiCall) {
    var named = ACTION_NAMES.get(apiCall);
    if (named != null) {
      return named;
    }
    // The elbv2 API is authorised under the same prefix as Classic ELB.
    return apiCall.startsWith("elasticloadbalancingv2:")
        ? "elasticloadbalancing:" + apiCall.substring("elasticloadbalancingv2:".length())
        : apiCall;
  }

  public static SortedSet<String> actions(Collection<? extends AwsRule> rules) {
    var actions = new TreeSet<>(BASE_ACTIONS);
    rules.forEach(r -> actions.addAll(r.definition().iamActions()));
    return actions;
  }

  public static String policyJson(Collection<? extends AwsRule> rules) {
    return document("ParapetPostureReadOnly", List.copyOf(actions(rules)), "*");
  }

  /**
   * The resource the export policy grants: the custom-integration ("default") product of any
   * account and region, the only product a CloudAccount imports into (BatchImportFindings is
   * authorised on the product ARN).
   */
  public static final String EXPORT_RESOURCE = "arn:aws:securityhub:*:*:product/*/default";

  /**
   * The policy the Security Hub export needs besides the read-only one (kept apart: it writes). Its
   * actions are the exporter's own list, so a new call there changes this document and the drift
   * test tells.
   */
  public static String exportPolicyJson() {
    return document(
        "ParapetSecurityHubExport",
        List.copyOf(new TreeSet<>(SecurityHubExporter.IAM_ACTIONS)),
        EXPORT_RESOURCE);
  }

  /**
   * The policy of an AwsOrganization's credentials (management or delegated administrator): the
   * Organizations read calls the operator makes, on every resource (the list calls take no resource
   * ARN).
   */
  public static String organizationPolicyJson() {
    return policyJson(
        "ParapetOrganizationRead", dev.parapet.operator.aws.collect.OrganizationLister.IAM_ACTIONS);
  }

  /**
   * One Allow statement named {@code sid} for exactly {@code actions} (sorted) on every resource:
   * the remediation write policy uses the read policy's form.
   */
  public static String policyJson(String sid, Collection<String> actions) {
    return document(sid, List.copyOf(new TreeSet<>(actions)), "*");
  }

  /** One Allow statement as stable, hand-formatted JSON (the generated files are diffed). */
  private static String document(String sid, List<String> actions, String resource) {
    var json = new StringBuilder();
    json.append("{\n");
    json.append("  \"Version\": \"2012-10-17\",\n");
    json.append("  \"Statement\": [\n");
    json.append("    {\n");
    json.append("      \"Sid\": \"").append(sid).append("\",\n");
    json.append("      \"Effect\": \"Allow\",\n");
    json.append("      \"Action\": [\n");
    for (int i = 0; i < actions.size(); i++) {
      json.append("        \"").append(actions.get(i)).append('"');
      json.append(i < actions.size() - 1 ? ",\n" : "\n");
    }
    json.append("      ],\n");
    json.append("      \"Resource\": \"").append(resource).append("\"\n");
    json.append("    }\n");
    json.append("  ]\n");
    json.append("}\n");
    return json.toString();
  }
}
