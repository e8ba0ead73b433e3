package dev.parapet.operator.aws.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.engine.ScanResult;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.operator.demo.DemoSeeder;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;

/**
 * Parapet against Prowler on the same emulated account (docs/benchmarks.md, "Prowler comparison";
 * run by {@code bench/prowler-compare.sh}). One moto server (default AMIs off) behind the counting
 * WireMock proxy ({@link MotoProxy}) on 127.0.0.1; one account seeded in two regions with planted
 * misconfigurations and clean twins ({@link DemoSeeder} plus {@link #seed}); then, each as its own
 * process against the proxy: {@code parapet scan} (the packaged CLI, every rule) and {@code prowler
 * aws} for the same AWS services (Parapet's rules' services under Prowler's names) and regions.
 * Measured: wall and CPU time of each process (GNU time), the requests each sent to the proxy, the
 * checks each ran, and the CIS AWS Foundations v5.0 recommendations each judged (at least one PASS
 * or FAIL mapped to it: for Parapet through its rules' CIS ids, read from the rule registry of this
 * build, so new rules count without editing this class; for Prowler through the cis_5.0_aws mapping
 * shipped in its package). Nothing is asserted on time or counts.
 */
@Tag("bench")
class ProwlerComparison {
  static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
  static final Path ROOT = Path.of(System.getProperty("parapet.repo.root", "..")).toAbsolutePath();
  static final Path OUT = Path.of("target", "bench", "prowler").toAbsolutePath();

  private final List<String> lines = new ArrayList<>();

  private void say(String format, Object... args) {
    var line = String.format(java.util.Locale.ROOT, format, args);
    System.out.println(line);
    lines.add(line);
  }

  @Test
  void parapetAgainstProwler() throws Exception {
    var prowler =
        Path.of(System.getProperty("bench.prowler", ROOT + "/bench/.prowler-venv/bin/prowler"));
    var jar = ROOT.resolve("operator/target/quarkus-app/quarkus-run.jar");
    assertThat(prowler).as("run bench/ensure-prowler.sh first").isExecutable();
    assertThat(jar).as("package the operator first (bench/prowler-compare.sh does)").exists();
    Files.createDirectories(OUT);
    say("Prowler comparison, %s; load average %s", Instant.now(), loadAverage());
    try (var moto = MotoServer.start();
        var proxy = new MotoProxy(moto)) {
      var planted = new ArrayList<>(new DemoSeeder(moto.endpoint()).seed());
      planted.addAll(seed(moto, REGIONS));
      say("seeded (%d items, regions %s):", planted.size(), String.join(", ", REGIONS));
      planted.forEach(p -> say("  %s", p));

      // Parapet: what it judged, from an engine scan of this build (directly on moto, not counted).
      var registry = RuleRegistry.defaults();
      ScanReport report =
          MotoScans.scan(
              moto.endpoint(), REGIONS, CloudPolicy.defaults(), MotoScans.testSettings());
      var judgedRules = new TreeSet<String>();
      report.results().stream()
          .filter(r -> r.status() != ResultStatus.UNKNOWN)
          .map(ScanResult::ruleId)
          .forEach(judgedRules::add);
      var parapetCis = new TreeSet<String>(ProwlerOutput.CIS_ORDER);
      registry.rules().stream()
          .filter(r -> judgedRules.contains(r.id()))
          .forEach(r -> parapetCis.addAll(r.metadata().cis()));
      var parapetServices = new TreeSet<String>();
      registry.rules().forEach(r -> parapetServices.addAll(r.metadata().services()));

      // Parapet CLI, timed and counted.
      var before = proxy.requests();
      var parapetRun =
          run(
              "parapet",
              List.of(
                  "java",
                  "-jar",
                  jar.toString(),
                  "scan",
                  "--account-id",
                  MotoServer.ACCOUNT_ID,
                  "--regions",
                  String.join(",", REGIONS),
                  "--endpoint",
                  proxy.endpoint().toString(),
                  "--fail-on",
                  "none",
                  "-o",
                  "json"),
              Map.of());
      var parapetCalls = proxy.requests() - before;

      // Prowler, same services and regions, timed and counted.
      var known =
          ProwlerOutput.services(
              run(
                      "prowler-services",
                      List.of(prowler.toString(), "aws", "--list-services"),
                      Map.of())
                  .stdout());
      var services = ProwlerOutput.prowlerServices(parapetServices, known);
      var command = new ArrayList<>(List.of(prowler.toString(), "aws", "--no-banner", "--region"));
      command.addAll(REGIONS);
      command.add("--services");
      command.addAll(services);
      command.addAll(
          List.of(
              "-M",
              "json-ocsf",
              "--output-directory",
              OUT.resolve("out").toString(),
              "--output-filename",
              "prowler"));
      before = proxy.requests();
      var prowlerRun =
          run("prowler", command, Map.of("AWS_ENDPOINT_URL", proxy.endpoint().toString()));
      var prowlerCalls = proxy.requests() - before;
      var ocsf = OUT.resolve("out").resolve("prowler.ocsf.json");
      var findings =
          ProwlerOutput.findings(
              Files.exists(ocsf) ? Files.readString(ocsf, StandardCharsets.UTF_8) : "");
      var cisFile =
          prowler
              .getParent()
              .getParent()
              .resolve("lib")
              .toFile()
              .listFiles((d, n) -> n.startsWith("python"))[0]
              .toPath()
              .resolve("site-packages/prowler/compliance/aws/cis_5.0_aws.json");
      var requirements = ProwlerOutput.requirements(Files.readString(cisFile));
      var prowlerCis = ProwlerOutput.judged(requirements, findings);
      var automated = requirements.values().stream().filter(r -> r.automated()).count();

      say("");
      say("services: Parapet %s; Prowler %s", parapetServices, services);
      say("| figure | Parapet | Prowler | ratio Prowler / Parapet |");
      say("|---|---|---|---|");
      say(
          "| wall time | %.1f s | %.1f s | %.1f |",
          parapetRun.wallSeconds(),
          prowlerRun.wallSeconds(),
          prowlerRun.wallSeconds() / parapetRun.wallSeconds());
      say(
          "| CPU time (user + sys) | %.1f s | %.1f s | %.1f |",
          parapetRun.cpuSeconds(),
          prowlerRun.cpuSeconds(),
          prowlerRun.cpuSeconds() / parapetRun.cpuSeconds());
      say(
          "| API requests at the proxy | %d | %d | %.1f |",
          parapetCalls, prowlerCalls, (double) prowlerCalls / parapetCalls);
      say(
          "| checks run | %d rules (%d judged) | %s checks (%d with a finding) | |",
          report.enabledRules().size(),
          judgedRules.size(),
          ProwlerOutput.executedChecks(prowlerRun.stdout() + prowlerRun.stderr()).stream()
              .mapToObj(Integer::toString)
              .findFirst()
              .orElse("?"),
          ProwlerOutput.checks(findings).size());
      say(
          "| CIS v5.0 recommendations judged (of %d; %d automated) | %d | %d | |",
          requirements.size(), automated, parapetCis.size(), prowlerCis.size());
      say("| exit code | %d | %d | |", parapetRun.exit(), prowlerRun.exit());
      say("");
      say("CIS judged by Parapet: %s", parapetCis);
      say("CIS judged by Prowler: %s", prowlerCis);
      var onlyProwler = new TreeSet<>(ProwlerOutput.CIS_ORDER);
      onlyProwler.addAll(prowlerCis);
      onlyProwler.removeAll(parapetCis);
      var onlyParapet = new TreeSet<>(ProwlerOutput.CIS_ORDER);
      onlyParapet.addAll(parapetCis);
      onlyParapet.removeAll(prowlerCis);
      say("only Prowler: %s", onlyProwler);
      say("only Parapet: %s", onlyParapet);
      say(
          "Parapet engine scan (uncounted): %d API calls; load average at the end %s",
          report.apiCallCount(), loadAverage());
      Files.write(OUT.resolve("results.txt"), lines, StandardCharsets.UTF_8);
    }
  }

  /** One tool's process: exit code, output and GNU time's wall and CPU seconds. */
  record Run(int exit, String stdout, String stderr, double wallSeconds, double cpuSeconds) {}

  /**
   * Runs the command under GNU time with fake AWS credentials; any proxy other than loopback is
   * made unusable, so nothing but 127.0.0.1 is dialled.
   */
  static Run run(String name, List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    var times = OUT.resolve(name + ".time");
    var full = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S", "-o", times.toString()));
    full.addAll(command);
    var pb = new ProcessBuilder(full);
    pb.environment().putAll(env);
    pb.environment().put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
    pb.environment().put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
    pb.environment().put("AWS_DEFAULT_REGION", REGIONS.get(0));
    pb.environment().put("AWS_REGION", REGIONS.get(0));
    pb.environment().remove("AWS_PROFILE");
    pb.environment().remove("AWS_SESSION_TOKEN");
    for (var p : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
      pb.environment().put(p, "http://127.0.0.1:9");
    }
    pb.environment().put("NO_PROXY", "127.0.0.1,localhost");
    pb.environment().put("no_proxy", "127.0.0.1,localhost");
    var stdout = OUT.resolve(name + ".out");
    var stderr = OUT.resolve(name + ".err");
    pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    var p = pb.start();
    if (!p.waitFor(60, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(name + " did not finish within 60 minutes");
    }
    var t = Files.readString(times).trim().lines().reduce((a, b) -> b).orElse("0 0 0").split(" ");
    return new Run(
        p.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8),
        Double.parseDouble(t[0]),
        Double.parseDouble(t[1]) + Double.parseDouble(t[2]));
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * In each region: an open SSH group and a closed twin (both in use), an instance allowing IMDSv1
   * and a twin requiring IMDSv2, an unencrypted and an encrypted attached volume, a VPC without
   * flow logs (the default one) and a twin with one, a network ACL open to SSH from the internet, a
   * KMS key with rotation off and one with it on, a trail without and one with log file validation,
   * an S3 bucket without versioning or block public access and a twin with both; globally an IAM
   * role with an inline admin policy. The demo seed adds its us-east-1 items (open SSH, public
   * bucket, console user without MFA, ...).
   */
  static List<String> seed(MotoServer moto, List<String> regions) {
    var out = new ArrayList<String>();
    var seed = new AwsSeed(moto);
    for (var region : regions) {
      try (var ec2 = seed.ec2(region);
          var kms = seed.kms(region);
          var s3 = seed.s3(region);
          var trails = seed.cloudTrail(region)) {
        var open = AwsSeed.securityGroup(ec2, "bench-ssh-open", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
        var closed =
            AwsSeed.securityGroup(ec2, "bench-ssh-closed", AwsSeed.tcp(22, 22, "10.0.0.0/8"));
        var v1 = instance(ec2, open, HttpTokensState.OPTIONAL);
        var v2 = instance(ec2, closed, HttpTokensState.REQUIRED);
        var zone =
            ec2.describeInstances(b -> b.instanceIds(v1))
                .reservations()
                .get(0)
                .instances()
                .get(0)
                .placement()
                .availabilityZone();
        var plain = ec2.createVolume(b -> b.availabilityZone(zone).size(8)).volumeId();
        var sealed =
            ec2.createVolume(b -> b.availabilityZone(zone).size(8).encrypted(true)).volumeId();
        ec2.attachVolume(b -> b.volumeId(plain).instanceId(v1).device("/dev/sdf"));
        ec2.attachVolume(b -> b.volumeId(sealed).instanceId(v2).device("/dev/sdf"));
        var vpc = ec2.createVpc(b -> b.cidrBlock("10.20.0.0/16")).vpc().vpcId();
        var logs = "bench-flow-logs-" + region;
        s3.createBucket(
            b ->
                b.bucket(logs)
                    .createBucketConfiguration(
                        c -> {
                          if (!"us-east-1".equals(region)) {
                            c.locationConstraint(region);
                          }
                        }));
        ec2.createFlowLogs(
            b ->
                b.resourceIds(vpc)
                    .resourceType("VPC")
                    .trafficType("ALL")
                    .logDestinationType("s3")
                    .logDestination("arn:aws:s3:::" + logs));
        var acl = ec2.createNetworkAcl(b -> b.vpcId(vpc)).networkAcl().networkAclId();
        ec2.createNetworkAclEntry(
            b ->
                b.networkAclId(acl)
                    .ruleNumber(100)
                    .protocol("6")
                    .ruleAction("allow")
                    .egress(false)
                    .cidrBlock("0.0.0.0/0")
                    .portRange(r -> r.from(22).to(22)));
        kms.createKey(b -> b.description("bench rotation off"));
        var rotated = kms.createKey(b -> b.description("bench rotation on")).keyMetadata().keyId();
        kms.enableKeyRotation(b -> b.keyId(rotated));
        var versioned = "bench-versioned-" + region;
        var bare = "bench-bare-" + region;
        for (var bucket : List.of(versioned, bare)) {
          s3.createBucket(
              b ->
                  b.bucket(bucket)
                      .createBucketConfiguration(
                          c -> {
                            if (!"us-east-1".equals(region)) {
                              c.locationConstraint(region);
                            }
                          }));
        }
        s3.putBucketVersioning(
            b -> b.bucket(versioned).versioningConfiguration(v -> v.status("Enabled")));
        s3.putPublicAccessBlock(
            b ->
                b.bucket(versioned)
                    .publicAccessBlockConfiguration(
                        c ->
                            c.blockPublicAcls(true)
                                .blockPublicPolicy(true)
                                .ignorePublicAcls(true)
                                .restrictPublicBuckets(true)));
        trails.createTrail(b -> b.name("bench-no-validation-" + region).s3BucketName(logs));
        trails.createTrail(
            b ->
                b.name("bench-validated-" + region)
                    .s3BucketName(logs)
                    .enableLogFileValidation(true)
                    .isMultiRegionTrail("us-east-1".equals(region)));
        out.add(
            region
                + ": SSH open "
                + open
                + " (twin "
                + closed
                + "), IMDSv1 "
                + v1
                + " (twin "
                + v2
                + "), unencrypted volume "
                + plain
                + " (twin "
                + sealed
                + "), NACL "
                + acl
                + " open to SSH, default VPC without flow logs (twin "
                + vpc
                + "), KMS key rotation off (twin on), trail without log validation (twin with),"
                + " bucket "
                + bare
                + " without versioning or block public access (twin "
                + versioned
                + ")");
      }
    }
    try (var iam = seed.iam()) {
      iam.createRole(b -> b.roleName("bench-admin").assumeRolePolicyDocument(BenchPolicies.TRUST));
      iam.putRolePolicy(
          b -> b.roleName("bench-admin").policyName("admin").policyDocument(BenchPolicies.ADMIN));
      out.add("IAM: role bench-admin with an inline Allow */* policy");
    }
    return out;
  }

  private static String instance(Ec2Client ec2, String group, HttpTokensState tokens) {
    return ec2.runInstances(
            b ->
                b.imageId(AwsSeed.anyImage(ec2))
                    .minCount(1)
                    .maxCount(1)
                    .instanceType("t3.micro")
                    .securityGroupIds(group)
                    .metadataOptions(m -> m.httpTokens(tokens)))
        .instances()
        .get(0)
        .instanceId();
  }

  /** Policy documents of the seed. */
  static final class BenchPolicies {
    static final String ADMIN =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
            + "\"Resource\":\"*\"}]}";
    static final String TRUST =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    private BenchPolicies() {}
  }
}
