package dev.parapet.operator.aws.rules.cloudtrail;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.cloudtrail.MultiRegionTrails;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/**
 * Check 25: no multi-region trail is logging and recording both read and write management events.
 * Judged once per account; the evidence lists the multi-region trails seen and what each lacks.
 */
public final class NoMultiRegionTrailRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-cloudtrail-no-multi-region-trail")
          .title(
              "No multi-region CloudTrail trail logs read and write management events",
              "読み取りと書き込みの管理イベントを記録するマルチリージョンの CloudTrail 証跡がありません")
          .remediation(
              "Create a multi-region trail (aws cloudtrail create-trail --is-multi-region-trail),"
                  + " start logging, and record management events of type All.",
              "マルチリージョン証跡を作成し (aws cloudtrail create-trail --is-multi-region-trail)、"
                  + "ログ記録を開始して、種類 All の管理イベントを記録してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-1")
          .severity(Severity.HIGH)
          .resourceType("AWS::::Account")
          .cis("3.1")
          .fsbp("CloudTrail.1")
          .reads(MultiRegionTrails.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var resource = view.accountSetting("cloudtrail", "multi-region-trail");
    var trails = view.get(MultiRegionTrails.class).trails();
    if (trails.stream().anyMatch(MultiRegionTrails.Coverage::complete)) {
      results.add(RuleResult.pass(resource));
      return;
    }
    if (trails.isEmpty()) {
      results.add(RuleResult.fail(resource, "The account has no multi-region trail"));
      return;
    }
    var lacks =
        trails.stream()
            .map(
                t ->
                    t.name()
                        + (t.logging() ? "" : " is not logging")
                        + (t.managementReads() ? "" : " misses read management events")
                        + (t.managementWrites() ? "" : " misses write management events"))
            .toList();
    results.add(
        RuleResult.fail(
            resource, "No multi-region trail is complete: " + String.join("; ", lacks)));
  }
}
