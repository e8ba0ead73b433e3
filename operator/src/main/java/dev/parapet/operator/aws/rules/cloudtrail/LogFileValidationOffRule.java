package dev.parapet.operator.aws.rules.cloudtrail;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.cloudtrail.TrailTags;
import dev.parapet.operator.aws.inventory.cloudtrail.Trails;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** Check 26: a trail (judged in its home region) has log file validation off. */
public final class LogFileValidationOffRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-cloudtrail-log-validation-off")
          .title("CloudTrail log file validation is off", "CloudTrail のログファイルの検証が無効になっています")
          .remediation(
              "Enable log file integrity validation on the trail (aws cloudtrail update-trail"
                  + " --name <trail> --enable-log-file-validation).",
              "証跡のログファイルの整合性検証を有効にしてください (aws cloudtrail update-trail --name <trail>"
                  + " --enable-log-file-validation)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-4")
          .severity(Severity.LOW)
          .resourceType("AWS::CloudTrail::Trail")
          .cis("3.2")
          .fsbp("CloudTrail.4")
          .reads(Trails.class)
          .tagsFrom(TrailTags.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var trail : view.get(Trails.class).trails()) {
      if (!Trails.homedHere(trail, view.region(), view.accountId())) {
        continue; // a shadow copy or another account's (organization) trail: judged at home
      }
      var resource = TrailResources.resource(view, trail);
      if (trail.logFileValidation()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(resource, "Trail " + trail.name() + " has log file validation off"));
      }
    }
  }
}
