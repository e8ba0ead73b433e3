package dev.parapet.operator.aws.rules.accessanalyzer;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.cis.AccessAnalyzers;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;
import java.util.Set;

/**
 * CIS 1.19: the region has no ACTIVE IAM Access Analyzer external access analyzer (type ACCOUNT or
 * ORGANIZATION; the unused-access analyzers do not count).
 */
public final class AccessAnalyzerOffRule extends RegionalRule {

  static final Set<String> EXTERNAL = Set.of("ACCOUNT", "ORGANIZATION");

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-accessanalyzer-off")
          .title(
              "IAM Access Analyzer has no active external access analyzer in the region",
              "リージョンに有効な IAM Access Analyzer の外部アクセスアナライザーがありません")
          .remediation(
              "Create an external access analyzer in every region you use (aws accessanalyzer"
                  + " create-analyzer --analyzer-name <name> --type ACCOUNT, or ORGANIZATION from"
                  + " the delegated administrator).",
              "利用するすべてのリージョンで外部アクセスアナライザーを作成してください (aws accessanalyzer create-analyzer"
                  + " --analyzer-name <name> --type ACCOUNT、または委任管理者から ORGANIZATION)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-28")
          .severity(Severity.HIGH)
          .resourceType("AWS::::Account")
          .cis("1.19")
          .fsbp("IAM.28")
          .reads(AccessAnalyzers.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var resource = view.accountSetting("access-analyzer", "external-access-analyzer");
    var analyzers = view.get(AccessAnalyzers.class).analyzers();
    if (analyzers.stream()
        .anyMatch(a -> EXTERNAL.contains(a.type()) && "ACTIVE".equals(a.status()))) {
      results.add(RuleResult.pass(resource));
    } else {
      results.add(
          RuleResult.fail(
              resource,
              analyzers.isEmpty()
                  ? "No analyzer in " + view.region()
                  : "No active external access analyzer in "
                      + view.region()
                      + " (analyzers: "
                      + String.join(
                          ", ",
                          analyzers.stream()
                              .map(a -> a.name() + " " + a.type() + " " + a.status())
                              .toList())
                      + ")"));
    }
  }
}
