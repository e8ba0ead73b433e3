package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.rules.AwsRule;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Emits the minimal read-only IAM policy for a set of rules, as stable JSON. */
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
    return ACTION_NAMES.getOrDefault(apiCall, apiCall);
  }

  public static SortedSet<String> actions(Collection<? extends AwsRule> rules) {
    var actions = new TreeSet<>(BASE_ACTIONS);
    rules.forEach(r -> actions.addAll(r.definition().iamActions()));
    return actions;
  }

  public static String policyJson(Collection<? extends AwsRule> rules) {
    return policyJson("ParapetPostureReadOnly", actions(rules));
  }

  /**
   * One Allow statement named {@code sid} for exactly {@code actions} (sorted), on every resource:
   * the read-only scan policy and the remediation write policy share this form.
   */
  public static String policyJson(String sid, Collection<String> actionSet) {
    var json = new StringBuilder();
    json.append("{\n");
    json.append("  \"Version\": \"2012-10-17\",\n");
    json.append("  \"Statement\": [\n");
    json.append("    {\n");
    json.append("      \"Sid\": \"").append(sid).append("\",\n");
    json.append("      \"Effect\": \"Allow\",\n");
    json.append("      \"Action\": [\n");
    var actions = List.copyOf(new TreeSet<>(actionSet));
    for (int i = 0; i < actions.size(); i++) {
      json.append("        \"").append(actions.get(i)).append('"');
      json.append(i < actions.size() - 1 ? ",\n" : "\n");
    }
    json.append("      ],\n");
    json.append("      \"Resource\": \"*\"\n");
    json.append("    }\n");
    json.append("  ]\n");
    json.append("}\n");
    return json.toString();
  }
}
