package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.rules.AwsRule;
import java.util.Collection;
import java.util.List;

/** Renders the rule table published at {@code docs/rules.md}. */
public final class RuleCatalogue {
  private RuleCatalogue() {}

  public static String markdown(Collection<? extends AwsRule> rules) {
    var md = new StringBuilder();
    md.append("# AWS rules\n\n");
    md.append(
        "<!-- Generated from the rule metadata by CatalogueDriftTest; do not edit. Regenerate with:\n");
    md.append(
        "     ./mvnw -B -pl operator -am test -Dtest=CatalogueDriftTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dparapet.update=true -->\n\n");
    md.append(rules.size()).append(" rules. CIS = CIS AWS Foundations Benchmark v5.0.0;");
    md.append(" FSBP = AWS Security Hub Foundational Security Best Practices.");
    md.append(" The minimal IAM policy for all of them is `deploy/aws/iam-policy.json`.\n\n");
    md.append("| id | title | タイトル | severity | CIS | FSBP | IAM actions |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (var rule : rules) {
      var m = rule.metadata();
      md.append("| `")
          .append(m.id())
          .append("` | ")
          .append(cell(m.titleEn()))
          .append(" | ")
          .append(cell(m.titleJa()))
          .append(" | ")
          .append(m.severity())
          .append(" | ")
          .append(list(m.cis()))
          .append(" | ")
          .append(list(m.fsbp()))
          .append(" | ")
          .append(String.join("<br>", m.iamActions().stream().map(a -> "`" + a + "`").toList()))
          .append(" |\n");
    }
    return md.toString();
  }

  private static String list(List<String> ids) {
    return ids.isEmpty() ? "–" : String.join(", ", ids);
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
