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

  /**
   * Recording ({@link MotoProxy#record()}): every request reaches moto and the last answer is kept,
   * so a request whose answer changed during the recording is replayed with its later answer; a 5xx
   * answer is never kept. With first answers only, IAM's GetCredentialReport ("not present", then
   * generated) was replayed as "not present" after every GenerateCredentialReport: one error and
   * two extra calls per replayed account; and a transient moto 500 during the recording was
   * replayed to every account.
   */
  @Test
  void whileRecordingTheLastAnswerIsKeptAndA5xxAnswerNever(MotoServer moto) {
    moto.reset();
    var policy = CloudPolicy.defaults().withServices(Set.of("iam", "accessanalyzer"), Set.of());
    var region = List.of("eu-west-3");
    try (var proxy = new MotoProxy(moto)) {
      proxy.record();
      var first = MotoScans.scan(proxy.endpoint(), region, policy, MotoScans.testSettings());
      // A fresh moto has no credential report: asked, generated, asked again (moto's answer).
      assertThat(first.apiCalls())
          .containsEntry("iam:GetCredentialReport", 2L)
          .containsEntry("iam:GenerateCredentialReport", 1L);
      assertThat(errors(first)).noneMatch(e -> e.contains("GetCredentialReport"));
      // moto lacks Access Analyzer: HTTP 500, which the proxy passes on.
      assertThat(errors(first)).anyMatch(e -> e.contains(":ListAnalyzers): HTTP 500"));

      proxy.replay();
      var recorded = proxy.replayCounts()[0];
      var second = MotoScans.scan(proxy.endpoint(), region, policy, MotoScans.testSettings());
      // The report as the recording ended: there at once, one call, no error.
      assertThat(second.apiCalls())
          .containsEntry("iam:GetCredentialReport", 1L)
          .doesNotContainKey("iam:GenerateCredentialReport");
      assertThat(errors(second)).noneMatch(e -> e.contains("GetCredentialReport"));
      // The 500 was not kept: ListAnalyzers asked moto again, and nothing else did.
      var analyzers = second.apiCalls().get("access-analyzer:ListAnalyzers");
      assertThat(analyzers).isPositive();
      assertThat(errors(second)).anyMatch(e -> e.contains(":ListAnalyzers): HTTP 500"));
      assertThat(proxy.replayCounts()[0] - recorded).isEqualTo(analyzers);
    } finally {
      moto.reset();
    }
  }

  static List<String> errors(dev.parapet.operator.aws.engine.ScanReport report) {
    return report.errors().stream().map(e -> e.describe()).toList();
  }

  /** Rule and resource of every FAIL, sorted. */
  static List<String> failed(dev.parapet.operator.aws.engine.ScanReport report) {
    return report.failures().stream()
        .map(r -> r.ruleId() + " " + r.resource().id())
        .sorted()
        .toList();
  }
}
