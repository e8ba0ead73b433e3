package dev.parapet.operator.aws.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.RuleSelection;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.Ec2Scenario;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Engine benchmark, outside the default test run ({@code -Pbench}, see docs/benchmarks.md). Every
 * figure is a ratio against a baseline measured in the same run, or a plain measurement; nothing
 * here asserts on time.
 *
 * <ul>
 *   <li>A1 = API calls / minimal calls for the seeded fixture (goal 1.00).
 *   <li>S1 = wall time for 17 regions / for 1 region with 20 ms injected per call (goal <= 1.3),
 *       once with moto behind the proxy and once with canned answers (engine only).
 *   <li>Wall time and resources scanned for a seeded ~2,000-resource account.
 * </ul>
 *
 * <p>Every figure is for the EC2 rules (the services the fixtures and the canned endpoint answer).
 * As in the operator, one client factory and one engine serve every scan of a section, so SDK
 * clients and collection threads are reused across scans. Each S1 figure is measured after {@value
 * #WARMUP} unmeasured 1-region/17-region pairs, alternating 1-region and 17-region runs so that
 * load changes on the machine hit both sides alike; logging is at INFO.
 */
@Tag("bench")
@ExtendWith(MotoExtension.class)
class EngineBenchmark {
  static final List<String> SEVENTEEN =
      List.of(
          "us-east-1",
          "us-east-2",
          "us-west-1",
          "us-west-2",
          "ca-central-1",
          "eu-west-1",
          "eu-west-2",
          "eu-west-3",
          "eu-central-1",
          "eu-north-1",
          "ap-northeast-1",
          "ap-northeast-2",
          "ap-northeast-3",
          "ap-southeast-1",
          "ap-southeast-2",
          "ap-south-1",
          "sa-east-1");
  static final int LATENCY_MS = 20;
  static final int RUNS = 7;
  static final int WARMUP = 3;
  static final CloudPolicy EC2 = CloudPolicy.defaults().withServices(Set.of("ec2"), Set.of());
  private final List<String> lines = new ArrayList<>();

  @Test
  void engineFigures(MotoServer moto) throws IOException {
    // Plain JUnit: make sure no debug/trace logging (SDK wire logs) slows the clients.
    var root = java.util.logging.Logger.getLogger("");
    root.setLevel(java.util.logging.Level.INFO);
    print(
        "load average at start: %s; root log level %s; %d processors",
        loadAverage(), root.getLevel(), Runtime.getRuntime().availableProcessors());
    var settings =
        MotoScans.testSettings()
            .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(120));
    a1(moto, settings);
    s1Moto(moto, settings);
    s1Canned(settings);
    largeAccount(moto, settings);
    print("load average at end: %s", loadAverage());
    var out = Path.of("target", "bench", "engine.txt");
    Files.createDirectories(out.getParent());
    Files.write(out, lines);
    System.out.println(String.join(System.lineSeparator(), lines));
  }

  private void a1(MotoServer moto, ClientSettings settings) {
    var regions = List.of("us-east-1", "eu-west-1");
    try (var proxy = new MotoProxy(moto)) {
      Ec2Scenario.seed(proxy.endpoint(), regions, Ec2Scenario.SMALL);
      var report = MotoScans.scan(proxy.endpoint(), regions, EC2, settings);
      // Minimal: one identity call, then one page per dataset per region (every dataset of the
      // fixture fits in one page), plus the public-snapshot filter call and the confirmation of
      // the fixture's one public snapshot per region (DescribeSnapshotAttribute: the filter is
      // not trusted to say "public").
      var datasets =
          RuleSelection.enabled(EC2, RuleRegistry.defaults()).stream()
              .flatMap(r -> r.definition().datasets().stream())
              .distinct()
              .count();
      var minimal = 1 + regions.size() * (datasets + 2);
      print(
          "A1  api calls / minimal calls = %d / %d = %.2f  (goal 1.00; %d regions, %d datasets)",
          report.apiCallCount(),
          minimal,
          (double) report.apiCallCount() / minimal,
          regions.size(),
          datasets);
    }
  }

  private void s1Moto(MotoServer moto, ClientSettings settings) {
    try (var proxy = new MotoProxy(moto)) {
      // Warm every region once (moto builds a region's state on first touch), without latency.
      MotoScans.scan(proxy.endpoint(), SEVENTEEN, EC2, settings);
      proxy.latency(LATENCY_MS);
      s1("S1 (moto behind proxy)", proxy.endpoint(), settings);
    }
  }

  private void s1Canned(ClientSettings settings) {
    try (var canned = new CannedEc2Endpoint(LATENCY_MS)) {
      s1("S1 (canned answers, engine only)", canned.endpoint(), settings);
      s1(
          "S1 (canned answers, concurrency 192)",
          canned.endpoint(),
          settings.withMaxConcurrency(192));
    }
    // The same scans with no injected latency: what is left is client-side CPU (signing, XML
    // parsing), which no amount of concurrency hides on a busy 2-core machine.
    try (var canned = new CannedEc2Endpoint(0)) {
      s1("CPU floor (canned answers, 0 ms per call)", canned.endpoint(), settings);
    }
  }

  /** One factory and engine for the section, as in the operator (one per process). */
  private void s1(String label, URI endpoint, ClientSettings settings) {
    try (var factory = new AwsClientFactory(settings)) {
      var engine = new ScanEngine(factory);
      var oneRegion = SEVENTEEN.subList(0, 1);
      Supplier<ScanReport> one = () -> MotoScans.scan(engine, endpoint, oneRegion, EC2);
      Supplier<ScanReport> all = () -> MotoScans.scan(engine, endpoint, SEVENTEEN, EC2);
      for (int i = 0; i < WARMUP; i++) {
        one.get();
        all.get();
      }
      var oneTimes = new ArrayList<Long>();
      var allTimes = new ArrayList<Long>();
      long calls = 0;
      for (int i = 0; i < RUNS; i++) {
        oneTimes.add(time(one));
        var start = System.nanoTime();
        var report = all.get();
        allTimes.add((System.nanoTime() - start) / 1_000_000);
        calls = report.apiCallCount();
        assertThat(report.errors()).as(label).isEmpty();
      }
      var oneMs = median(oneTimes);
      var allMs = median(allTimes);
      print(
          "%s  17 regions / 1 region = %d ms / %d ms = %.2f  (goal <= 1.3; concurrency %d, median of %d after %d warm-up pairs; %d calls per 17-region scan; 17-region runs %s)",
          label,
          allMs,
          oneMs,
          (double) allMs / oneMs,
          settings.maxConcurrency(),
          RUNS,
          WARMUP,
          calls,
          allTimes);
    }
  }

  private static long time(Supplier<ScanReport> scan) {
    var start = System.nanoTime();
    scan.get();
    return (System.nanoTime() - start) / 1_000_000;
  }

  private void largeAccount(MotoServer moto, ClientSettings settings) {
    var region = "eu-central-2";
    try (var proxy = new MotoProxy(moto)) {
      var seedStart = System.nanoTime();
      seedLarge(proxy.endpoint(), region);
      var seedMs = (System.nanoTime() - seedStart) / 1_000_000;
      var start = System.nanoTime();
      var report = MotoScans.scan(proxy.endpoint(), List.of(region), EC2, settings);
      var ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(report.errors()).isEmpty();
      print(
          "Large account  %d resources scanned in %d ms with %d API calls (%d FAIL results; seeding took %d ms)",
          report.resourcesScanned(), ms, report.apiCallCount(), report.failures().size(), seedMs);
    }
  }

  /**
   * About 2,000 resources in one region: instances (and their interfaces), groups, volumes,
   * snapshots, VPCs.
   */
  private static void seedLarge(URI endpoint, String region) {
    try (var ec2 = new AwsSeed(endpoint).ec2(region)) {
      var az = region + "a";
      for (int batch = 0; batch < 3; batch++) {
        ec2.runInstances(
            b ->
                b.imageId(AwsSeed.anyImage(ec2))
                    .minCount(200)
                    .maxCount(200)
                    .placement(p -> p.availabilityZone(az)));
      }
      for (int i = 0; i < 300; i++) {
        AwsSeed.securityGroup(
            ec2, "bench-" + i, AwsSeed.tcp(22, 22, i % 10 == 0 ? "0.0.0.0/0" : "10.0.0.0/8"));
      }
      var volumes = new ArrayList<String>();
      for (int i = 0; i < 150; i++) {
        volumes.add(ec2.createVolume(b -> b.availabilityZone(az).size(1)).volumeId());
      }
      for (int i = 0; i < 150; i++) {
        var volume = volumes.get(i);
        ec2.createSnapshot(b -> b.volumeId(volume));
      }
      for (int i = 0; i < 50; i++) {
        var cidr = "10." + (i + 20) + ".0.0/16";
        ec2.createVpc(b -> b.cidrBlock(cidr));
      }
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static long median(List<Long> times) {
    var sorted = new ArrayList<>(times);
    sorted.sort(Long::compare);
    return sorted.get(sorted.size() / 2);
  }

  private void print(String format, Object... args) {
    lines.add(String.format(Locale.ROOT, format, args));
  }
}
