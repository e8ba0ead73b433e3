package dev.parapet.operator.aws.rules.rds;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RDS rules (checks 28-30) end to end against moto: violators and clean twins in one region. */
class RdsRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  static ScanReport report;

  @BeforeAll
  static void seedAndScan() {
    var moto = MOTO.server();
    var region = "ap-northeast-1";
    try (var rds = new AwsSeed(moto).rds(region)) {
      rds.createDBInstance(
          b ->
              b.dbInstanceIdentifier("open-plain")
                  .dbInstanceClass("db.t3.micro")
                  .engine("postgres")
                  .masterUsername("app")
                  .masterUserPassword("example-password-1")
                  .allocatedStorage(20)
                  .publiclyAccessible(true)
                  .storageEncrypted(false));
      rds.createDBInstance(
          b ->
              b.dbInstanceIdentifier("private-encrypted")
                  .dbInstanceClass("db.t3.micro")
                  .engine("postgres")
                  .masterUsername("app")
                  .masterUserPassword("example-password-1")
                  .allocatedStorage(20)
                  .publiclyAccessible(false)
                  .storageEncrypted(true));
      rds.createDBSnapshot(
          b -> b.dbSnapshotIdentifier("shared-with-all").dbInstanceIdentifier("open-plain"));
      rds.createDBSnapshot(
          b -> b.dbSnapshotIdentifier("kept-private").dbInstanceIdentifier("private-encrypted"));
      rds.modifyDBSnapshotAttribute(
          b ->
              b.dbSnapshotIdentifier("shared-with-all")
                  .attributeName("restore")
                  .valuesToAdd("all"));
    }
    report =
        MotoScans.scan(
            moto,
            List.of(region),
            CloudPolicy.only(
                "aws-rds-instance-public",
                "aws-rds-storage-unencrypted",
                "aws-rds-snapshot-public"));
  }

  @Test
  void publicInstanceFailsAndPrivateTwinPasses() {
    assertThat(failedIds(report, "aws-rds-instance-public")).containsExactly("open-plain");
    assertThat(passedIds(report, "aws-rds-instance-public")).containsExactly("private-encrypted");
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
  }

  @Test
  void unencryptedInstanceFailsAndEncryptedTwinPasses() {
    assertThat(failedIds(report, "aws-rds-storage-unencrypted")).containsExactly("open-plain");
    assertThat(passedIds(report, "aws-rds-storage-unencrypted"))
        .containsExactly("private-encrypted");
  }

  @Test
  void publicManualSnapshotFailsAndPrivateTwinPasses() {
    // moto also keeps automated snapshots; only manual ones are read and judged.
    assertThat(failedIds(report, "aws-rds-snapshot-public")).containsExactly("shared-with-all");
    assertThat(passedIds(report, "aws-rds-snapshot-public")).containsExactly("kept-private");
  }

  @Test
  void apiCallsAreOneListPerRegionPlusOneAttributeCallPerManualSnapshot() {
    assertThat(report.apiCalls())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "sts:GetCallerIdentity", 1L,
                "rds:DescribeDBInstances", 1L,
                "rds:DescribeDBSnapshots", 1L,
                "rds:DescribeDBSnapshotAttributes", 2L));
  }
}
