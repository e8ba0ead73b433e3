package dev.parapet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The proxy's replay mode (benchmarks of many accounts): a request seen before is answered from the
 * recording, not by moto, so a later change in moto does not show; a request not seen before (here:
 * another region) still reaches moto.
 */
@ExtendWith(MotoExtension.class)
class MotoProxyReplayTest {

  static final CloudPolicy EC2 = CloudPolicy.defaults().withServices(Set.of("ec2"), Set.of());

  @Test
  void aRepeatedRequestIsAnsweredFromTheRecordingAndANewOneFromMoto(MotoServer moto) {
    moto.reset();
    try (var proxy = new MotoProxy(moto)) {
      proxy.replay();
      var region = List.of("eu-west-3");
      var first = MotoScans.scan(proxy.endpoint(), region, EC2, MotoScans.testSettings());
      var recorded = proxy.replayCounts()[0];
      var replayed = proxy.replayCounts()[1];
      assertThat(recorded).isPositive();
      assertThat(recorded + replayed).isEqualTo(first.apiAttempts());

      // Moto's state changes after the recording (the default VPC of the region is deleted): the
      // replayed scan does not see it.
      try (var ec2 = new AwsSeed(moto.endpoint()).ec2("eu-west-3")) {
        var vpc = ec2.describeVpcs().vpcs().get(0).vpcId();
        ec2.describeSubnets(r -> r.filters(f -> f.name("vpc-id").values(vpc)))
            .subnets()
            .forEach(sn -> ec2.deleteSubnet(d -> d.subnetId(sn.subnetId())));
        ec2.deleteVpc(d -> d.vpcId(vpc));
      }
      var second = MotoScans.scan(proxy.endpoint(), region, EC2, MotoScans.testSettings());
      assertThat(proxy.replayCounts()[0]).isEqualTo(recorded);
      assertThat(proxy.replayCounts()[1] - replayed).isEqualTo(second.apiAttempts());
      assertThat(failed(second)).isEqualTo(failed(first)).anyMatch(f -> f.contains("vpc-"));

      // Another region is another request: recorded from moto.
      MotoScans.scan(proxy.endpoint(), List.of("eu-north-1"), EC2, MotoScans.testSettings());
      assertThat(proxy.replayCounts()[0]).isGreaterThan(recorded);
    } finally {
      moto.reset();
    }
  }

  /** Rule and resource of every FAIL, sorted. */
  static List<String> failed(dev.parapet.operator.aws.engine.ScanReport report) {
    return report.failures().stream()
        .map(r -> r.ruleId() + " " + r.resource().id())
        .sorted()
        .toList();
  }
}
