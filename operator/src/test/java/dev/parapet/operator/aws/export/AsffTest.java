package dev.parapet.operator.aws.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.securityhub.model.ComplianceStatus;
import software.amazon.awssdk.services.securityhub.model.RecordState;
import software.amazon.awssdk.services.securityhub.model.SeverityLabel;

/** The ASFF mapping: required fields, severities, requirements, states, and length limits. */
class AsffTest {

  static final String ACCOUNT = "123456789012";
  static final Asff.Target TARGET = new Asff.Target(ACCOUNT, "ap-northeast-1", "aws");
  static final Instant FIRST = Instant.parse("2026-11-01T10:00:00.123456789Z");
  static final Instant NOW = Instant.parse("2026-12-07T08:00:00.987654321Z");
  static final String SG_ARN = "arn:aws:ec2:eu-central-1:" + ACCOUNT + ":security-group/sg-0abc";

  static ExportedFinding finding(
      ExportedFinding.Disposition disposition,
      Severity severity,
      String title,
      String description,
      List<RuleMetadata.Control> controls,
      String remediation) {
    return new ExportedFinding(
        "parapet/payments/aws-ec2-sg-ssh-open-0123456789ab",
        "aws-ec2-sg-ssh-open",
        title,
        description,
        severity,
        controls,
        "AWS::EC2::SecurityGroup",
        "sg-0abc",
        SG_ARN,
        "eu-central-1",
        remediation,
        "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        FIRST,
        disposition,
        disposition == ExportedFinding.Disposition.SUPPRESSED ? "baseline/bastion" : null);
  }

  static ExportedFinding open() {
    return finding(
        ExportedFinding.Disposition.OPEN,
        Severity.HIGH,
        "Security group allows SSH from the internet",
        "sg-0abc allows tcp/22 from 0.0.0.0/0",
        List.of(
            new RuleMetadata.Control(RuleMetadata.CIS_AWS, "5.3"),
            new RuleMetadata.Control(RuleMetadata.AWS_FSBP, "EC2.13")),
        "Remove the 0.0.0.0/0 rule for port 22.");
  }

  @Test
  void anOpenFindingIsActiveFailedWithEveryRequiredField() {
    var a = Asff.finding(open(), TARGET, NOW);
    assertThat(a.schemaVersion()).isEqualTo("2018-10-08");
    assertThat(a.productArn())
        .isEqualTo("arn:aws:securityhub:ap-northeast-1:123456789012:product/123456789012/default");
    assertThat(a.id()).isEqualTo("parapet/payments/aws-ec2-sg-ssh-open-0123456789ab");
    assertThat(a.generatorId()).isEqualTo("aws-ec2-sg-ssh-open");
    assertThat(a.awsAccountId()).isEqualTo(ACCOUNT);
    assertThat(a.types())
        .containsExactly(
            "Software and Configuration Checks/Industry and Regulatory Standards/"
                + "CIS AWS Foundations Benchmark",
            "Software and Configuration Checks/AWS Security Best Practices");
    assertThat(a.findingProviderFields().types()).isEqualTo(a.types());
    assertThat(a.severity().label()).isEqualTo(SeverityLabel.HIGH);
    assertThat(a.severity().original()).isEqualTo("high");
    assertThat(a.findingProviderFields().severity().label()).isEqualTo(SeverityLabel.HIGH);
    assertThat(a.compliance().status()).isEqualTo(ComplianceStatus.FAILED);
    assertThat(a.compliance().relatedRequirements())
        .containsExactly(
            "CIS AWS Foundations Benchmark v5.0.0/5.3",
            "AWS Foundational Security Best Practices v1.0.0/EC2.13");
    assertThat(a.resources()).hasSize(1);
    var r = a.resources().get(0);
    assertThat(r.type()).isEqualTo("AwsEc2SecurityGroup");
    assertThat(r.id()).isEqualTo(SG_ARN);
    assertThat(r.region()).isEqualTo("eu-central-1");
    assertThat(r.partitionAsString()).isEqualTo("aws");
    assertThat(a.remediation().recommendation().text())
        .isEqualTo("Remove the 0.0.0.0/0 rule for port 22.");
    assertThat(a.remediation().recommendation().url()).startsWith("https://docs.aws.amazon.com/");
    assertThat(a.title()).isEqualTo("Security group allows SSH from the internet");
    assertThat(a.description()).isEqualTo("sg-0abc allows tcp/22 from 0.0.0.0/0");
    assertThat(a.firstObservedAt()).isEqualTo("2026-11-01T10:00:00.123Z");
    assertThat(a.createdAt()).isEqualTo(a.firstObservedAt());
    assertThat(a.updatedAt()).isEqualTo("2026-12-07T08:00:00.987Z");
    assertThat(a.lastObservedAt()).isEqualTo(a.updatedAt());
    assertThat(a.recordState()).isEqualTo(RecordState.ACTIVE);
    assertThat(a.productFields())
        .containsEntry("parapet.dev/rule", "aws-ec2-sg-ssh-open")
        .containsEntry("parapet.dev/state", "Open");
  }

  @Test
  void aResolvedFindingIsArchivedAndPassedWithTheSameIdAndANewerUpdatedAt() {
    var before = Asff.finding(open(), TARGET, NOW);
    var resolved =
        Asff.finding(
            finding(
                ExportedFinding.Disposition.RESOLVED,
                Severity.HIGH,
                "t",
                "d",
                open().controls(),
                "r"),
            TARGET,
            NOW.plusSeconds(3600));
    assertThat(resolved.id()).isEqualTo(before.id());
    assertThat(resolved.recordState()).isEqualTo(RecordState.ARCHIVED);
    assertThat(resolved.compliance().status()).isEqualTo(ComplianceStatus.PASSED);
    assertThat(Instant.parse(resolved.updatedAt())).isAfter(Instant.parse(before.updatedAt()));
    assertThat(resolved.createdAt()).isEqualTo(before.createdAt());
    assertThat(resolved.lastObservedAt()).as("not observed failing at this export").isNull();
    assertThat(resolved.productFields()).containsEntry("parapet.dev/state", "Resolved");
  }

  @Test
  void aSuppressedFindingIsArchivedButStillFailsItsControl() {
    var a =
        Asff.finding(
            finding(
                ExportedFinding.Disposition.SUPPRESSED,
                Severity.HIGH,
                "t",
                "d",
                open().controls(),
                "r"),
            TARGET,
            NOW);
    assertThat(a.recordState()).isEqualTo(RecordState.ARCHIVED);
    assertThat(a.compliance().status()).isEqualTo(ComplianceStatus.FAILED);
    assertThat(a.productFields())
        .containsEntry("parapet.dev/state", "Suppressed")
        .containsEntry("parapet.dev/suppressedBy", "baseline/bastion");
  }

  @ParameterizedTest
  @EnumSource(Severity.class)
  void everySeverityMapsToTheAsffLabelOfTheSameName(Severity s) {
    var a =
        Asff.finding(
            finding(ExportedFinding.Disposition.OPEN, s, "t", "d", List.of(), null), TARGET, NOW);
    assertThat(a.severity().labelAsString()).isEqualTo(s.name());
    assertThat(a.findingProviderFields().severity().labelAsString()).isEqualTo(s.name());
    assertThat(a.severity().original()).isEqualTo(s.wireValue());
  }

  @Test
  void aRuleWithoutControlsIsAGenericConfigurationCheckWithNoRequirements() {
    var a =
        Asff.finding(
            finding(ExportedFinding.Disposition.OPEN, Severity.LOW, "t", "d", List.of(), null),
            TARGET,
            NOW);
    assertThat(a.types()).containsExactly("Software and Configuration Checks");
    assertThat(a.compliance().relatedRequirements()).isEmpty();
    assertThat(a.remediation()).as("no text and a url only").isNotNull();
  }

  @Test
  void longTextIsCutToTheAsffLimitsWithoutSplittingACharacter() {
    var emoji = "\uD83D\uDD12"; // one character, two UTF-16 units
    var title = "T".repeat(255) + emoji + "tail";
    var description = "D".repeat(1022) + emoji + "D".repeat(5000);
    var remediation = "R".repeat(700);
    var controls = new ArrayList<RuleMetadata.Control>();
    for (int i = 0; i < 40; i++) {
      controls.add(new RuleMetadata.Control(RuleMetadata.AWS_FSBP, "EC2." + i));
    }
    var a =
        Asff.finding(
            finding(
                ExportedFinding.Disposition.OPEN,
                Severity.MEDIUM,
                title,
                description,
                controls,
                remediation),
            TARGET,
            NOW);
    assertThat(a.title()).hasSizeLessThanOrEqualTo(Asff.MAX_TITLE).endsWith("…");
    assertThat(a.description()).hasSizeLessThanOrEqualTo(Asff.MAX_DESCRIPTION).endsWith("…");
    assertThat(a.remediation().recommendation().text())
        .hasSize(Asff.MAX_RECOMMENDATION_TEXT)
        .endsWith("…");
    for (var s : List.of(a.title(), a.description())) {
      for (int i = 0; i < s.length(); i++) {
        if (Character.isHighSurrogate(s.charAt(i))) {
          assertThat(i + 1).as("a high surrogate is followed by its pair").isLessThan(s.length());
          assertThat(Character.isLowSurrogate(s.charAt(i + 1))).isTrue();
        }
      }
    }
    assertThat(a.compliance().relatedRequirements())
        .hasSize(Asff.MAX_RELATED_REQUIREMENTS)
        .startsWith("AWS Foundational Security Best Practices v1.0.0/EC2.0");
    assertThat(Asff.truncate("abc", 3)).isEqualTo("abc");
    assertThat(Asff.truncate("abcd", 3)).isEqualTo("ab…");
    assertThat(Asff.truncate("a" + emoji, 2)).isEqualTo("a…");
  }

  @Test
  void theDescriptionIsRedactedAndNeverEmpty() {
    var leaked =
        finding(
            ExportedFinding.Disposition.OPEN,
            Severity.HIGH,
            "Title",
            "key AKIAIOSFODNN7EXAMPLE in user data",
            List.of(),
            null);
    assertThat(Asff.finding(leaked, TARGET, NOW).description())
        .doesNotContain("AKIAIOSFODNN7EXAMPLE");
    var blank = finding(ExportedFinding.Disposition.OPEN, Severity.HIGH, "Title", " ", null, null);
    assertThat(Asff.finding(blank, TARGET, NOW).description()).isEqualTo("Title");
  }

  @ParameterizedTest
  @CsvSource({
    "AWS::EC2::SecurityGroup, AwsEc2SecurityGroup",
    "AWS::RDS::DBInstance, AwsRdsDbInstance",
    "AWS::RDS::DBSnapshot, AwsRdsDbSnapshot",
    "AWS::EC2::VPC, AwsEc2Vpc",
    "AWS::S3::Bucket, AwsS3Bucket",
    "AWS::IAM::User, AwsIamUser",
    "AWS::KMS::Key, AwsKmsKey",
    "AWS::CloudTrail::Trail, AwsCloudTrailTrail",
    "AWS::::Account, AwsAccount",
    "apps/v1 Deployment, Other",
  })
  void cloudFormationTypesBecomeAsffResourceTypes(String type, String asff) {
    assertThat(Asff.resourceType(type)).isEqualTo(asff);
  }

  @Test
  void accountWideResourcesTakeTheTargetRegionAndPartitionsComeFromTheArn() {
    var global =
        new ExportedFinding(
            "parapet/ns/root-mfa",
            "aws-iam-root-mfa-off",
            "Root MFA off",
            "root has no MFA",
            Severity.CRITICAL,
            List.of(),
            "AWS::::Account",
            ACCOUNT,
            null,
            "global",
            null,
            null,
            FIRST,
            ExportedFinding.Disposition.OPEN,
            null);
    var cn = new Asff.Target(ACCOUNT, "cn-north-1", Asff.Target.partitionOf("arn:aws-cn:iam::1:x"));
    var a = Asff.finding(global, cn, NOW);
    assertThat(a.resources().get(0).region()).isEqualTo("cn-north-1");
    assertThat(a.resources().get(0).id()).isEqualTo(ACCOUNT);
    assertThat(a.resources().get(0).partitionAsString()).isEqualTo("aws-cn");
    assertThat(a.productArn()).startsWith("arn:aws-cn:securityhub:cn-north-1:");
    assertThat(Asff.Target.partitionOf(null)).isEqualTo("aws");
  }
}
