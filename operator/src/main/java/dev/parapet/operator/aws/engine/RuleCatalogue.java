package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.events.activity.ActivityRules;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import java.util.Collection;
import java.util.List;

/** Renders the rule table published at {@code docs/rules.md}. */
public final class RuleCatalogue {
  private RuleCatalogue() {}

  public static String markdown(
      Collection<? extends AwsRule> rules, Collection<ActivityRules.ActivityRule> activity) {
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
    md.append(
        "*Tags*: whether the rule's results carry the resource's AWS tags, which exceptions can"
            + " match (`match.tags`). \"tags only\" names calls made only to read tags: when they"
            + " fail, the verdict stands (never UNKNOWN), the scan's errors list the resources,"
            + " and tag exceptions cannot match them. Account-level settings carry no tags; a"
            + " policy whose exception matches by tags only such rules is rejected.\n\n");
    md.append("| id | title | タイトル | severity | CIS | FSBP | IAM actions | Tags |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (var rule : rules) {
      var d = rule.definition();
      var m = d.metadata();
      md.append("| `")
          .append(m.id())
          .append("` | ")
          .append(cell(m.titleEn()))
          .append(" | ")
          .append(cell(m.titleJa()))
          .append(" | ")
          .append(m.severity().wireValue())
          .append(" | ")
          .append(list(m.cis()))
          .append(" | ")
          .append(list(m.fsbp()))
          .append(" | ")
          .append(String.join("<br>", d.iamActions().stream().map(a -> "`" + a + "`").toList()))
          .append(" | ")
          .append(tags(d))
          .append(" |\n");
    }
    md.append(CisCoverage.markdown(rules));
    md.append(activityMarkdown(activity));
    return md.toString();
  }

  /**
   * The activity rules: judged from single CloudTrail events the account's queue delivers, not by a
   * scan; their findings have category activity.
   */
  static String activityMarkdown(Collection<ActivityRules.ActivityRule> activity) {
    var md = new StringBuilder();
    md.append("\n## Activity rules (CloudTrail events)\n\n");
    md.append(activity.size())
        .append(" rules, judged from single CloudTrail management events that the")
        .append(" CloudAccount's event queue (`spec.events`) delivers, not by a scan. Their")
        .append(" Findings have `spec.category: activity` and the label")
        .append(" `parapet.dev/category=activity`, say who acted, when, from which IP and in")
        .append(" which event (`spec.activity`), never resolve, and are deleted after the")
        .append(" PosturePolicy's `spec.activity.retention` (default 30d). Policies select them,")
        .append(" override their severity and except them like every cloud rule; they carry no")
        .append(" tags and need no IAM action beyond reading the queue. See docs/operator.md.\n\n");
    md.append("| id | title | タイトル | severity | CloudTrail events |\n");
    md.append("|---|---|---|---|---|\n");
    for (var rule : activity) {
      var m = rule.metadata();
      md.append("| `")
          .append(m.id())
          .append("` | ")
          .append(cell(m.titleEn()))
          .append(" | ")
          .append(cell(m.titleJa()))
          .append(" | ")
          .append(m.severity().wireValue())
          .append(" | ")
          .append(
              String.join(
                  "<br>",
                  rule.events().stream()
                      .map(e -> e.contains(" ") ? cell(e) : "`" + e + "`")
                      .toList()))
          .append(" |\n");
    }
    return md.toString();
  }

  private static String tags(RuleDefinition d) {
    var m = d.metadata();
    if (!m.resourcesTagged()) {
      return "–";
    }
    var text = "yes";
    if (!d.tagDatasets().isEmpty()) {
      var actions = new java.util.TreeSet<String>();
      d.tagDatasets().forEach(t -> actions.addAll(Datasets.actions(t)));
      actions.removeAll(d.datasets().stream().flatMap(t -> Datasets.actions(t).stream()).toList());
      text +=
          actions.isEmpty()
              ? ""
              : ", tags only: "
                  + String.join(", ", actions.stream().map(a -> "`" + a + "`").toList());
    }
    return m.tagsNote() == null ? text : text + " (" + cell(m.tagsNote()) + ")";
  }

  private static String list(List<String> ids) {
    return ids.isEmpty() ? "–" : String.join(", ", ids);
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
