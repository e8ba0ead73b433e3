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

  private IamPolicyGenerator() {}

  public static SortedSet<String> actions(Collection<? extends AwsRule> rules) {
    var actions = new TreeSet<>(BASE_ACTIONS);
    rules.forEach(r -> actions.addAll(r.metadata().iamActions()));
    return actions;
  }

  public static String policyJson(Collection<? extends AwsRule> rules) {
    var json = new StringBuilder();
    json.append("{\n");
    json.append("  \"Version\": \"2012-10-17\",\n");
    json.append("  \"Statement\": [\n");
    json.append("    {\n");
    json.append("      \"Sid\": \"ParapetPostureReadOnly\",\n");
    json.append("      \"Effect\": \"Allow\",\n");
    json.append("      \"Action\": [\n");
    var actions = List.copyOf(actions(rules));
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
