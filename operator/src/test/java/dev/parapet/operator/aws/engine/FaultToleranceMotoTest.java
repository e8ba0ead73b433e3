package dev.parapet.operator.aws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.testing.Ec2Scenario;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults injected by a WireMock proxy in front of moto: the affected rules become UNKNOWN with the
 * reason, every other result stays exactly as in a clean scan, the scan finishes, and the error
 * list names service, region and cause.
 */
@ExtendWith(MotoExtension.class)
class FaultToleranceMotoTest {
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-south-1");

  /** The EC2 / VPC rules only: the other services' rules have fault tests of their own. */
  private static final List<String> EC2_RULES =
      RuleRegistry.defaults().rules().stream()
          .map(r -> r.id())
          .filter(id -> id.startsWith("aws-ec2-") || id.startsWith("aws-vpc-"))
          .toList();

  private static final CloudPolicy ALL_EC2 = CloudPolicy.only(EC2_RULES.toArray(String[]::new));
  private static Set<String> baseline;
  private static int ruleCount;
  private MotoProxy proxy;

  @BeforeAll
  static void seedAndTakeBaseline(MotoServer moto) {
    try (var proxy = new MotoProxy(moto)) {
      Ec2Scenario.seed(proxy.endpoint(), REGIONS, Ec2Scenario.SMALL);
    }
    try (var clean = new MotoProxy(moto)) {
      var report = MotoScans.scan(clean.endpoint(), REGIONS, ALL_EC2, MotoScans.testSettings());
      assertThat(report.errors()).isEmpty();
      assertThat(report.failures()).isNotEmpty();
      baseline = Ec2Scenario.lines(report);
    }
    ruleCount = EC2_RULES.size();
  }

  @BeforeEach
  void startProxy(MotoServer moto) {
    proxy = new MotoProxy(moto);
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  @Test
  void accessDeniedOnEc2InOneRegionMakesThatRegionUnknownAndLeavesTheRestUnchanged() {
    proxy.accessDenied("ec2", "eu-west-1");
    var report = MotoScans.scan(proxy.endpoint(), REGIONS, ALL_EC2, MotoScans.testSettings());

    assertThat(Ec2Scenario.lines(report, "eu-west-1", false))
        .isEqualTo(without(baseline, "eu-west-1"));
    var unknown = Ec2Scenario.lines(report, "eu-west-1", true);
    assertThat(unknown).hasSize(ruleCount).allSatisfy(l -> assertThat(l).contains("|UNKNOWN|"));
    assertThat(report.unknownScopes())
        .hasSize(ruleCount)
        .allSatisfy(
            s -> {
              assertThat(s.region()).isEqualTo("eu-west-1");
              assertThat(s.cause().reason()).isEqualTo(UnknownReason.AccessDenied);
            });
    assertThat(report.errors())
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.service()).isEqualTo("ec2");
              assertThat(e.region()).isEqualTo("eu-west-1");
              assertThat(e.reason()).isEqualTo(UnknownReason.AccessDenied);
              assertThat(e.message()).contains("UnauthorizedOperation");
            });
    assertThat(report.regionStates())
        .filteredOn(s -> s.region().equals("eu-west-1"))
        .singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo(RegionState.State.Failed));
  }

  @Test
  void accessDeniedOnOneActionOnlyAffectsTheRulesReadingIt() {
    proxy.accessDeniedFor("DescribeVolumes", "us-east-1");
    var report = MotoScans.scan(proxy.endpoint(), REGIONS, ALL_EC2, MotoScans.testSettings());

    assertThat(report.unknownScopes())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.ruleId()).isEqualTo("aws-ec2-ebs-volume-unencrypted");
              assertThat(s.region()).isEqualTo("us-east-1");
              assertThat(s.cause().operation()).isEqualTo("DescribeVolumes");
            });
    var expected = new java.util.TreeSet<>(baseline);
    expected.removeIf(l -> l.startsWith("aws-ec2-ebs-volume-unencrypted|us-east-1|"));
    var actual = Ec2Scenario.lines(report);
    actual.removeIf(l -> l.startsWith("aws-ec2-ebs-volume-unencrypted|us-east-1|"));
    assertThat(actual).isEqualTo(expected);
    assertThat(report.regionStates())
        .filteredOn(s -> s.region().equals("us-east-1"))
        .singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo(RegionState.State.Partial));
  }

  @Test
  void throttlingOnAShareOfCallsIsAbsorbedByRetriesWithIdenticalResults() {
    proxy.throttleEvery(3, "ec2");
    var report = MotoScans.scan(proxy.endpoint(), REGIONS, ALL_EC2, MotoScans.testSettings());

    assertThat(proxy.throttled()).isGreaterThan(5);
    assertThat(report.errors()).isEmpty();
    assertThat(Ec2Scenario.lines(report)).isEqualTo(baseline);
    assertThat(report.apiAttempts()).isGreaterThan(report.apiCallCount());
  }

  @Test
  void throttlingThatOutlastsTheRetriesIsUnknownThrottled() {
    proxy.alwaysThrottle("DescribeInstances", "ap-south-1");
    var report = MotoScans.scan(proxy.endpoint(), REGIONS, ALL_EC2, MotoScans.testSettings());

    // exactly the rules that read the Instances dataset, in that region only
    assertThat(report.unknownScopes())
        .extracting(s -> s.ruleId())
        .containsExactlyInAnyOrder("aws-ec2-imdsv2-not-required", "aws-ec2-instance-no-iam-role");
    assertThat(report.unknownScopes())
        .allSatisfy(
            s -> {
              assertThat(s.region()).isEqualTo("ap-south-1");
              assertThat(s.cause().reason()).isEqualTo(UnknownReason.Throttled);
            });
    assertThat(report.errors())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.describe())
                    .contains("Throttled in ap-south-1 (ec2:DescribeInstances)"));
  }

  @Test
  void aRegionThatTimesOutIsUnknownTimeoutAndTheScanFinishes() {
    // Generous timeouts for the healthy regions: on a loaded machine moto (and the snapshot shim)
    // can take seconds; the slow region answers only after the whole call budget is spent.
    proxy.slowRegion("ap-south-1", 15_000);
    var settings =
        MotoScans.testSettings()
            .withMaxAttempts(2)
            .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(11));
    var report = MotoScans.scan(proxy.endpoint(), REGIONS, ALL_EC2, settings);

    assertThat(Ec2Scenario.lines(report, "ap-south-1", false))
        .isEqualTo(without(baseline, "ap-south-1"));
    assertThat(report.withStatus(ResultStatus.UNKNOWN))
        .hasSize(ruleCount)
        .allSatisfy(
            r -> {
              assertThat(r.region()).isEqualTo("ap-south-1");
              assertThat(r.cause().reason()).isEqualTo(UnknownReason.Timeout);
            });
    assertThat(report.errors())
        .allSatisfy(
            e -> {
              assertThat(e.region()).isEqualTo("ap-south-1");
              assertThat(e.reason()).isEqualTo(UnknownReason.Timeout);
            });
  }

  private static Set<String> without(Set<String> lines, String region) {
    var out = new java.util.TreeSet<String>();
    lines.stream().filter(l -> !l.split("\\|")[1].equals(region)).forEach(out::add);
    return out;
  }
}
