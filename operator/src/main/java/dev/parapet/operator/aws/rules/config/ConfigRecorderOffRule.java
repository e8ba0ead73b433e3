package dev.parapet.operator.aws.rules.config;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.cis.ConfigRecorders;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/**
 * CIS 3.3: AWS Config does not record every supported resource type in the region: no recorder, or
 * none that is recording with {@code allSupported} and whose last delivery did not fail. (Whether
 * global resource types are recorded in at least one region is not judged.)
 */
public final class ConfigRecorderOffRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-config-recorder-off")
          .title(
              "AWS Config is not recording all resources in the region",
              "リージョンで AWS Config がすべてのリソースを記録していません")
          .remediation(
              "Create a configuration recorder that records all supported resource types, give it"
                  + " a delivery channel and start it (aws configservice"
                  + " put-configuration-recorder ... allSupported=true, put-delivery-channel,"
                  + " start-configuration-recorder).",
              "サポートされるすべてのリソースタイプを記録する設定レコーダーを作成し、配信チャネルを設定して開始してください"
                  + " (aws configservice put-configuration-recorder ... allSupported=true、"
                  + "put-delivery-channel、start-configuration-recorder)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::::Account")
          .cis("3.3")
          .fsbp("Config.1")
          .reads(ConfigRecorders.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var resource = view.accountSetting("config", "configuration-recorder");
    var recorders = view.get(ConfigRecorders.class).recorders();
    if (recorders.stream()
        .anyMatch(r -> r.allSupported() && r.recording() && !"FAILURE".equals(r.lastStatus()))) {
      results.add(RuleResult.pass(resource));
      return;
    }
    if (recorders.isEmpty()) {
      results.add(RuleResult.fail(resource, "No configuration recorder in " + view.region()));
      return;
    }
    var why =
        recorders.stream()
            .map(
                r ->
                    r.name()
                        + (r.recording() ? "" : " is not recording")
                        + (r.allSupported() ? "" : " does not record all resource types")
                        + ("FAILURE".equals(r.lastStatus()) ? " failed its last delivery" : ""))
            .toList();
    results.add(RuleResult.fail(resource, String.join("; ", why)));
  }
}
