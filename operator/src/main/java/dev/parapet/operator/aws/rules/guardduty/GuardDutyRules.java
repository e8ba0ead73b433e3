package dev.parapet.operator.aws.rules.guardduty;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.Unknown;
import dev.parapet.operator.aws.inventory.guardduty.Detectors;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/**
 * GuardDuty rules, judged once per region on the region's detector (an account setting): FSBP
 * GuardDuty.1 (enabled) and one rule per protection plan. A plan's rule fails too when GuardDuty is
 * off, but that failure is reported once, by {@code aws-guardduty-disabled} ({@code coveredBy}).
 */
public final class GuardDutyRules {
  private static final String DOCS =
      "https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html";
  static final String DISABLED_ID = "aws-guardduty-disabled";

  private GuardDutyRules() {}

  public static List<AwsRule> all() {
    return List.of(
        new DetectorRule(
            RuleDefinition.builder(DISABLED_ID)
                .title("GuardDuty is not enabled in the region", "リージョンで GuardDuty が有効になっていません")
                .remediation(
                    "Enable GuardDuty in every region (aws guardduty create-detector --enable), or"
                        + " from the delegated administrator for the whole organization.",
                    "すべてのリージョンで GuardDuty を有効にしてください (aws guardduty create-detector"
                        + " --enable)。組織全体では委任管理者から有効にできます。",
                    DOCS + "#guardduty-1")
                .severity(Severity.HIGH)
                .fsbp("GuardDuty.1"),
            null,
            null),
        feature(
            "aws-guardduty-eks-audit-logs-off",
            "EKS_AUDIT_LOGS",
            "EKS Audit Log Monitoring",
            "EKS 監査ログモニタリング",
            "GuardDuty.5",
            Severity.HIGH),
        feature(
            "aws-guardduty-lambda-protection-off",
            "LAMBDA_NETWORK_LOGS",
            "Lambda Protection",
            "Lambda Protection",
            "GuardDuty.6",
            Severity.HIGH),
        feature(
            "aws-guardduty-malware-protection-off",
            "EBS_MALWARE_PROTECTION",
            "Malware Protection for EC2",
            "EC2 のマルウェア保護",
            "GuardDuty.8",
            Severity.HIGH),
        feature(
            "aws-guardduty-rds-protection-off",
            "RDS_LOGIN_EVENTS",
            "RDS Protection",
            "RDS Protection",
            "GuardDuty.9",
            Severity.HIGH),
        feature(
            "aws-guardduty-s3-protection-off",
            "S3_DATA_EVENTS",
            "S3 Protection",
            "S3 Protection",
            "GuardDuty.10",
            Severity.HIGH),
        feature(
            "aws-guardduty-runtime-monitoring-off",
            "RUNTIME_MONITORING",
            "Runtime Monitoring",
            "ランタイムモニタリング",
            "GuardDuty.11",
            Severity.HIGH));
  }

  private static AwsRule feature(
      String id, String feature, String en, String ja, String fsbp, Severity severity) {
    var anchor = fsbp.toLowerCase(java.util.Locale.ROOT).replace('.', '-');
    return new DetectorRule(
        RuleDefinition.builder(id)
            .title(
                "GuardDuty " + en + " is not enabled in the region",
                "リージョンで GuardDuty の " + ja + " が有効になっていません")
            .remediation(
                "Enable the "
                    + en
                    + " protection plan on the region's detector (aws guardduty update-detector"
                    + " --detector-id <id> --features Name="
                    + feature
                    + ",Status=ENABLED).",
                "リージョンの検出器で "
                    + ja
                    + " を有効にしてください (aws guardduty update-detector --detector-id <id> --features Name="
                    + feature
                    + ",Status=ENABLED)。",
                DOCS + "#" + anchor)
            .severity(severity)
            .fsbp(fsbp)
            .coveredBy(DISABLED_ID),
        feature,
        en);
  }

  /**
   * One verdict per region on the region's detector: enabled, and the feature on if one is named.
   */
  static final class DetectorRule extends RegionalRule {
    private final RuleDefinition definition;
    private final String feature;
    private final String featureName;

    DetectorRule(RuleDefinition.Builder definition, String feature, String featureName) {
      this.definition = definition.resourceType("AWS::::Account").reads(Detectors.class).build();
      this.feature = feature;
      this.featureName = featureName;
    }

    @Override
    public RuleDefinition definition() {
      return definition;
    }

    @Override
    protected void evaluateRegion(
        RegionView view, RuleParameters parameters, List<RuleResult> results) {
      var resource = view.accountSetting("guardduty", "detector");
      var enabled =
          view.get(Detectors.class).detectors().stream().map(Detectors.Detector::settings).toList();
      var known =
          enabled.stream()
              .filter(f -> f instanceof Known<?>)
              .map(f -> ((Known<Detectors.Settings>) f).value())
              .filter(Detectors.Settings::enabled)
              .toList();
      if (known.isEmpty()) {
        var unknown = enabled.stream().filter(f -> f instanceof Unknown<?>).findFirst();
        if (unknown.isPresent()) {
          results.add(RuleResult.unknown(view.region(), ((Unknown<?>) unknown.get()).error()));
          return;
        }
        results.add(
            RuleResult.fail(
                resource,
                enabled.isEmpty()
                    ? "No GuardDuty detector in " + view.region()
                    : "The GuardDuty detector of " + view.region() + " is not enabled"));
        return;
      }
      if (feature == null || known.stream().anyMatch(s -> s.featureEnabled(feature))) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(
                resource,
                "GuardDuty "
                    + featureName
                    + " ("
                    + feature
                    + ") is not enabled on the detector of "
                    + view.region()));
      }
    }
  }
}
