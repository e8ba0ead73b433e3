package dev.parapet.operator.aws.rules.cis;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.config.model.ConfigurationRecorder;
import software.amazon.awssdk.services.config.model.DeliveryChannel;
import software.amazon.awssdk.services.config.model.RecordingGroup;

/**
 * CIS 1.19, 2.3.1, 3.3 and 4.16 against moto in two regions: us-east-1 has an encrypted and an
 * unencrypted file system, a recording Config recorder and Security Hub on; eu-west-1 has none of
 * them. moto has no IAM Access Analyzer backend at all (HTTP 500): the rule is UNKNOWN there, asked
 * once per region; its verdicts are proven on canned ListAnalyzers answers at the proxy.
 */
class AccountServicesCisRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
  static final String[] RULES = {
    "aws-accessanalyzer-off",
    "aws-efs-unencrypted",
    "aws-config-recorder-off",
    "aws-securityhub-disabled"
  };
  static MotoProxy proxy;
  static ScanReport report;

  @BeforeAll
  static void seedAndScan() {
    var seed = new AwsSeed(MOTO.server());
    try (var efs = seed.efs("us-east-1");
        var config = seed.config("us-east-1");
        var hub = seed.securityHub("us-east-1");
        var s3 = seed.s3("us-east-1")) {
      efs.createFileSystem(b -> b.creationToken("plain").encrypted(false));
      efs.createFileSystem(b -> b.creationToken("sealed").encrypted(true));
      s3.createBucket(b -> b.bucket("config-snapshots"));
      config.putConfigurationRecorder(
          b ->
              b.configurationRecorder(
                  ConfigurationRecorder.builder()
                      .name("default")
                      .roleARN("arn:aws:iam::123456789012:role/config")
                      .recordingGroup(RecordingGroup.builder().allSupported(true).build())
                      .build()));
      config.putDeliveryChannel(
          b ->
              b.deliveryChannel(
                  DeliveryChannel.builder()
                      .name("default")
                      .s3BucketName("config-snapshots")
                      .build()));
      config.startConfigurationRecorder(b -> b.configurationRecorderName("default"));
      hub.enableSecurityHub(b -> {});
    }
    proxy = new MotoProxy(MOTO.server());
    report = scan();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  static ScanReport scan() {
    return MotoScans.scan(
        proxy.endpoint(), REGIONS, CloudPolicy.only(RULES), MotoScans.testSettings());
  }

  static List<String> regions(ScanReport r, ResultStatus status, String rule) {
    return r.withStatus(status).stream()
        .filter(x -> x.ruleId().equals(rule))
        .map(x -> x.region())
        .sorted()
        .toList();
  }

  @Test
  void unencryptedFileSystemFailsAndTheEncryptedTwinPasses() {
    assertThat(failedIds(report, "aws-efs-unencrypted")).hasSize(1);
    assertThat(passedIds(report, "aws-efs-unencrypted")).hasSize(1);
  }

  @Test
  void configRecorderPassesWhereItRecordsAndFailsWhereThereIsNone() {
    assertThat(regions(report, ResultStatus.PASS, "aws-config-recorder-off"))
        .containsExactly("us-east-1");
    assertThat(regions(report, ResultStatus.FAIL, "aws-config-recorder-off"))
        .containsExactly("eu-west-1");
  }

  @Test
  void securityHubPassesWhereEnabledAndFailsWhereNotSubscribed() {
    assertThat(regions(report, ResultStatus.PASS, "aws-securityhub-disabled"))
        .containsExactly("us-east-1");
    assertThat(regions(report, ResultStatus.FAIL, "aws-securityhub-disabled"))
        .containsExactly("eu-west-1");
  }

  @Test
  void accessAnalyzerIsUnknownOnMotoWhichHasNoBackend_askedOncePerRegion() {
    assertThat(report.withStatus(ResultStatus.UNKNOWN))
        .allSatisfy(r -> assertThat(r.ruleId()).isEqualTo("aws-accessanalyzer-off"))
        .extracting(r -> r.cause().operation())
        .containsOnly("ListAnalyzers");
    // moto answers HTTP 500 "Unable to find appropriate backend": classified as an error, never
    // as a verdict.
    assertThat(report.failures()).noneMatch(r -> r.ruleId().equals("aws-accessanalyzer-off"));
    assertThat(regions(report, ResultStatus.UNKNOWN, "aws-accessanalyzer-off"))
        .containsExactly("eu-west-1", "us-east-1");
    assertThat(report.apiCalls())
        .containsEntry("access-analyzer:ListAnalyzers", 2L)
        .containsEntry("elasticfilesystem:DescribeFileSystems", 2L)
        .containsEntry("config:DescribeConfigurationRecorders", 2L)
        .containsEntry("config:DescribeConfigurationRecorderStatus", 1L)
        .containsEntry("securityhub:DescribeHub", 2L);
  }

  @Test
  void accessAnalyzerVerdicts_motoGapServedByCannedListAnalyzers() {
    var canned =
        proxy.answer(
            "access-analyzer",
            "GET /analyzer",
            200,
            "application/json",
            "{\"analyzers\":[{\"name\":\"external\",\"arn\":\"arn:aws:access-analyzer:us-east-1:"
                + "123456789012:analyzer/external\",\"type\":\"ACCOUNT\",\"status\":\"ACTIVE\","
                + "\"createdAt\":\"2026-01-01T00:00:00Z\"},{\"name\":\"unused\",\"arn\":"
                + "\"arn:aws:access-analyzer:us-east-1:123456789012:analyzer/unused\",\"type\":"
                + "\"ACCOUNT_UNUSED_ACCESS\",\"status\":\"ACTIVE\",\"createdAt\":"
                + "\"2026-01-01T00:00:00Z\"}]}");
    try {
      var active = scan();
      assertThat(regions(active, ResultStatus.PASS, "aws-accessanalyzer-off"))
          .containsExactly("eu-west-1", "us-east-1");
    } finally {
      proxy.removeAnswer(canned);
    }
    var onlyUnused =
        proxy.answer(
            "access-analyzer",
            "GET /analyzer",
            200,
            "application/json",
            "{\"analyzers\":[{\"name\":\"unused\",\"arn\":\"arn:aws:access-analyzer:us-east-1:"
                + "123456789012:analyzer/unused\",\"type\":\"ACCOUNT_UNUSED_ACCESS\",\"status\":"
                + "\"ACTIVE\",\"createdAt\":\"2026-01-01T00:00:00Z\"},{\"name\":\"off\",\"arn\":"
                + "\"arn:aws:access-analyzer:us-east-1:123456789012:analyzer/off\",\"type\":"
                + "\"ACCOUNT\",\"status\":\"DISABLED\",\"createdAt\":\"2026-01-01T00:00:00Z\"}]}");
    try {
      var none = scan();
      assertThat(regions(none, ResultStatus.FAIL, "aws-accessanalyzer-off"))
          .containsExactly("eu-west-1", "us-east-1");
      assertThat(none.failures())
          .filteredOn(r -> r.ruleId().equals("aws-accessanalyzer-off"))
          .allSatisfy(r -> assertThat(r.evidence()).contains("off ACCOUNT DISABLED"));
    } finally {
      proxy.removeAnswer(onlyUnused);
    }
  }

  @Test
  void securityHubAccessDeniedIsUnknownNotDisabled() {
    var denied =
        proxy.answer(
            "securityhub",
            "GET /accounts",
            403,
            "application/json",
            "{\"__type\":\"AccessDeniedException\",\"message\":\"User is not authorized to"
                + " perform securityhub:DescribeHub\"}");
    try {
      var r = scan();
      assertThat(regions(r, ResultStatus.UNKNOWN, "aws-securityhub-disabled"))
          .containsExactly("eu-west-1", "us-east-1");
      assertThat(r.withStatus(ResultStatus.UNKNOWN))
          .filteredOn(x -> x.ruleId().equals("aws-securityhub-disabled"))
          .extracting(x -> x.cause().reason())
          .containsOnly(UnknownReason.AccessDenied);
      assertThat(r.failures()).noneMatch(x -> x.ruleId().equals("aws-securityhub-disabled"));
    } finally {
      proxy.removeAnswer(denied);
    }
  }
}
