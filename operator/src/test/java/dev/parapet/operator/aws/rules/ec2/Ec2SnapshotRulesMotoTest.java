package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Snapshot rules against moto through {@link MotoProxy}, because of two moto 5.2.5 gaps: it ignores
 * {@code OwnerIds=self} and {@code RestorableByUserIds=all} on DescribeSnapshots, and it has no
 * Get/Enable/DisableSnapshotBlockPublicAccess. The proxy answers just those calls (from moto's own
 * snapshot state, and from a per-region state for block public access); everything else, seeding
 * included, is moto.
 */
@ExtendWith(MotoExtension.class)
class Ec2SnapshotRulesMotoTest {
  private static MotoProxy proxy;

  @BeforeAll
  static void startProxy(MotoServer moto) {
    proxy = new MotoProxy(moto);
  }

  @AfterAll
  static void stopProxy() {
    proxy.close();
  }

  @Test
  void publicSnapshotFailsAndPrivateTwinPassesWhileMotosPreloadedSnapshotsAreNotOurs(
      MotoServer moto) {
    var region = "ap-southeast-2";
    String shared;
    String kept;
    try (var ec2 = new AwsSeed(proxy.endpoint()).ec2(region)) {
      var volume = ec2.createVolume(b -> b.availabilityZone(region + "a").size(1)).volumeId();
      shared = ec2.createSnapshot(b -> b.volumeId(volume)).snapshotId();
      kept = ec2.createSnapshot(b -> b.volumeId(volume)).snapshotId();
      ec2.modifySnapshotAttribute(
          b ->
              b.snapshotId(shared)
                  .attribute("createVolumePermission")
                  .operationType("add")
                  .groupNames("all"));
    }
    var rule = "aws-ec2-snapshot-public";
    var report =
        MotoScans.scan(
            proxy.endpoint(), List.of(region), CloudPolicy.only(rule), MotoScans.testSettings());
    assertThat(failedIds(report, rule)).containsExactly(shared);
    assertThat(passedIds(report, rule)).containsExactly(kept);
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
  }

  @Test
  void snapshotBlockPublicAccessOffFailsTheRegionAndBlockAllPasses(MotoServer moto) {
    var off = "ca-central-1";
    var on = "sa-east-1";
    try (var ec2 = new AwsSeed(proxy.endpoint()).ec2(on)) {
      ec2.enableSnapshotBlockPublicAccess(b -> b.state("block-all-sharing"));
    }
    var rule = "aws-ec2-snapshot-block-public-access-off";
    var report =
        MotoScans.scan(
            proxy.endpoint(), List.of(off, on), CloudPolicy.only(rule), MotoScans.testSettings());
    assertThat(report.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.region()).isEqualTo(off);
              assertThat(f.evidence()).contains("unblocked");
            });
    assertThat(report.withStatus(ResultStatus.PASS))
        .singleElement()
        .satisfies(p -> assertThat(p.region()).isEqualTo(on));
  }

  @Test
  void withoutTheProxyMotosMissingApiIsUnknownUnsupportedNeverPassOrFail(MotoServer moto) {
    var rule = "aws-ec2-snapshot-block-public-access-off";
    var report = MotoScans.scan(moto, List.of("me-south-1"), CloudPolicy.only(rule));
    assertThat(report.results())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN);
              assertThat(r.cause().service()).isEqualTo("ec2");
              assertThat(r.cause().region()).isEqualTo("me-south-1");
            });
    assertThat(report.unknownScopes())
        .singleElement()
        .satisfies(s -> assertThat(s.ruleId()).isEqualTo(rule));
  }
}
