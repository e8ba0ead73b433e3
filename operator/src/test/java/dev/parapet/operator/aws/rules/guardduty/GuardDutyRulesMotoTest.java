package dev.parapet.operator.aws.rules.guardduty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.guardduty.model.DetectorFeature;
import software.amazon.awssdk.services.guardduty.model.DetectorFeatureConfiguration;
import software.amazon.awssdk.services.guardduty.model.FeatureStatus;

/**
 * GuardDuty rules per region: one region with an enabled detector (S3 Protection on, EKS audit logs
 * off), one with none, one with a disabled detector.
 */
class GuardDutyRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();
  static final String ON = "us-east-1";
  static final String NONE = "eu-west-1";
  static final String OFF = "ap-southeast-2";
  static ScanReport report;

  @BeforeAll
  static void seedAndScan() {
    var seed = new AwsSeed(MOTO.server());
    try (var on = seed.client(GuardDutyClient.builder(), ON);
        var off = seed.client(GuardDutyClient.builder(), OFF)) {
      on.createDetector(
          b ->
              b.enable(true)
                  .features(
                      DetectorFeatureConfiguration.builder()
                          .name(DetectorFeature.S3_DATA_EVENTS)
                          .status(FeatureStatus.ENABLED)
                          .build(),
                      DetectorFeatureConfiguration.builder()
                          .name(DetectorFeature.EKS_AUDIT_LOGS)
                          .status(FeatureStatus.DISABLED)
                          .build()));
      off.createDetector(b -> b.enable(false));
    }
    report =
        MotoScans.scan(
            MOTO.server(),
            List.of(ON, NONE, OFF),
            CloudPolicy.only(
                "aws-guardduty-disabled",
                "aws-guardduty-s3-protection-off",
                "aws-guardduty-eks-audit-logs-off",
                "aws-guardduty-runtime-monitoring-off"));
  }

  static List<String> regions(String rule, ResultStatus status) {
    return report.results().stream()
        .filter(r -> r.ruleId().equals(rule) && r.status() == status)
        .map(r -> r.region())
        .sorted()
        .toList();
  }

  static List<String> unsuppressedFailRegions(String rule) {
    return report.failures().stream()
        .filter(r -> r.ruleId().equals(rule))
        .map(r -> r.region())
        .sorted()
        .toList();
  }

  @Test
  void disabledOrMissingDetectorFailsPerRegion() {
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(unsuppressedFailRegions("aws-guardduty-disabled")).containsExactly(OFF, NONE);
    assertThat(regions("aws-guardduty-disabled", ResultStatus.PASS)).containsExactly(ON);
  }

  @Test
  void protectionPlansAreJudgedOnTheEnabledDetectorAndNotRepeatedWhereGuardDutyIsOff() {
    assertThat(regions("aws-guardduty-s3-protection-off", ResultStatus.PASS)).containsExactly(ON);
    assertThat(unsuppressedFailRegions("aws-guardduty-eks-audit-logs-off")).containsExactly(ON);
    assertThat(unsuppressedFailRegions("aws-guardduty-runtime-monitoring-off")).containsExactly(ON);
    // Where GuardDuty is off the plan rules fail too, but the engine drops those failures as
    // covered by aws-guardduty-disabled on the same resource: reported once, not twice.
    assertThat(report.results())
        .filteredOn(r -> r.ruleId().equals("aws-guardduty-s3-protection-off"))
        .extracting(r -> r.region())
        .containsExactly(ON);
  }
}
