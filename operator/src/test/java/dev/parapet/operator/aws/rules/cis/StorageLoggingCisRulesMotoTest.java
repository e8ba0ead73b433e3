package dev.parapet.operator.aws.rules.cis;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudtrail.model.DataResource;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;

/** CIS 2.2.2, 2.2.4, 3.5, 3.8 and 3.9 end to end against moto, violators beside clean twins. */
class StorageLoggingCisRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  static final String REGION = "us-east-1";
  static ScanReport report;

  @BeforeAll
  static void seedAndScan() {
    var seed = new AwsSeed(MOTO.server());
    try (var rds = seed.rds(REGION)) {
      rds.createDBInstance(
          b ->
              b.dbInstanceIdentifier("lagging-single")
                  .dbInstanceClass("db.t3.micro")
                  .engine("postgres")
                  .masterUsername("app")
                  .masterUserPassword("example-password-1")
                  .allocatedStorage(20)
                  .autoMinorVersionUpgrade(false)
                  .multiAZ(false));
      rds.createDBInstance(
          b ->
              b.dbInstanceIdentifier("patched-multi")
                  .dbInstanceClass("db.t3.micro")
                  .engine("postgres")
                  .masterUsername("app")
                  .masterUserPassword("example-password-1")
                  .allocatedStorage(20)
                  .autoMinorVersionUpgrade(true)
                  .multiAZ(true));
    }
    try (var s3 = seed.s3(REGION);
        var kms = seed.kms(REGION);
        var trail = seed.cloudTrail(REGION)) {
      for (var bucket : List.of("trail-logs", "audited", "unaudited")) {
        s3.createBucket(b -> b.bucket(bucket));
      }
      var key = kms.createKey(b -> b.description("trail key")).keyMetadata().arn();
      trail.createTrail(
          b -> b.name("main").s3BucketName("trail-logs").isMultiRegionTrail(true).kmsKeyId(key));
      trail.startLogging(b -> b.name("main"));
      trail.putEventSelectors(
          b ->
              b.trailName("main")
                  .eventSelectors(
                      EventSelector.builder()
                          .readWriteType(ReadWriteType.WRITE_ONLY)
                          .includeManagementEvents(true)
                          .dataResources(
                              DataResource.builder()
                                  .type("AWS::S3::Object")
                                  .values("arn:aws:s3:::audited/", "arn:aws:s3:::trail-logs/x")
                                  .build())
                          .build()));
      trail.createTrail(b -> b.name("plain").s3BucketName("trail-logs"));
    }
    report =
        MotoScans.scan(
            MOTO.server(),
            List.of(REGION),
            CloudPolicy.only(
                "aws-rds-auto-minor-upgrade-off",
                "aws-rds-not-multi-az",
                "aws-cloudtrail-not-kms-encrypted",
                "aws-cloudtrail-s3-object-writes-not-logged",
                "aws-cloudtrail-s3-object-reads-not-logged"));
  }

  @Test
  void nothingIsUnknown() {
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void rdsMaintenanceAndAvailabilityAreJudgedOnTheReturnedFlags() {
    assertThat(failedIds(report, "aws-rds-auto-minor-upgrade-off"))
        .containsExactly("lagging-single");
    assertThat(passedIds(report, "aws-rds-auto-minor-upgrade-off"))
        .containsExactly("patched-multi");
    assertThat(failedIds(report, "aws-rds-not-multi-az")).containsExactly("lagging-single");
    assertThat(passedIds(report, "aws-rds-not-multi-az")).containsExactly("patched-multi");
  }

  @Test
  void trailWithoutKmsKeyFailsAndTheEncryptedOnePasses() {
    assertThat(failedIds(report, "aws-cloudtrail-not-kms-encrypted")).containsExactly("plain");
    assertThat(passedIds(report, "aws-cloudtrail-not-kms-encrypted")).containsExactly("main");
  }

  @Test
  void selectorsNamingSomeBucketsDoNotLogAllBuckets() {
    // "trail-logs/x" covers part of a bucket's keys: it is not even listed as a bucket.
    assertThat(failedIds(report, "aws-cloudtrail-s3-object-writes-not-logged"))
        .containsExactly(MotoServer.ACCOUNT_ID);
    assertThat(report.failures())
        .filteredOn(r -> r.ruleId().equals("aws-cloudtrail-s3-object-writes-not-logged"))
        .singleElement()
        .satisfies(r -> assertThat(r.evidence()).endsWith("(only for: audited)"));
    assertThat(report.failures())
        .filteredOn(r -> r.ruleId().equals("aws-cloudtrail-s3-object-reads-not-logged"))
        .singleElement()
        .satisfies(r -> assertThat(r.evidence()).doesNotContain("only for"));
  }

  @Test
  void aSelectorForAllBucketsPassesWritesAndReads() {
    try (var trail = new AwsSeed(MOTO.server()).cloudTrail(REGION)) {
      trail.putEventSelectors(
          b ->
              b.trailName("main")
                  .eventSelectors(
                      EventSelector.builder()
                          .readWriteType(ReadWriteType.ALL)
                          .includeManagementEvents(true)
                          .dataResources(
                              DataResource.builder()
                                  .type("AWS::S3::Object")
                                  .values("arn:aws:s3")
                                  .build())
                          .build()));
      var all =
          MotoScans.scan(
              MOTO.server(),
              List.of(REGION),
              CloudPolicy.only(
                  "aws-cloudtrail-s3-object-writes-not-logged",
                  "aws-cloudtrail-s3-object-reads-not-logged"));
      assertThat(passedIds(all, "aws-cloudtrail-s3-object-writes-not-logged"))
          .containsExactly(MotoServer.ACCOUNT_ID);
      assertThat(passedIds(all, "aws-cloudtrail-s3-object-reads-not-logged"))
          .containsExactly(MotoServer.ACCOUNT_ID);
      assertThat(all.failures()).isEmpty();
    }
  }
}
