package dev.parapet.operator.bench;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.findings.CloudFindings;
import dev.parapet.operator.findings.DesiredFinding;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.scan.CheckResult;
import dev.parapet.operator.scan.ScanOutcome;
import dev.parapet.testing.CrudApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Operator benchmark, outside the default test run: {@code bench/run.sh} (see docs/benchmarks.md).
 * Prints steady-state writes per rescan, Finding sizes, heap per cached Finding (slope between 1k
 * and 10k), and operator time-to-ready and RSS divided by a bare Quarkus REST app measured in the
 * same run. Nothing here asserts a timing.
 */
@Tag("bench")
class OperatorBenchmark {

  static CrudApiServer api;
  static KubernetesMockServer server;
  static KubernetesClient client;
  static final List<String> report = new ArrayList<>();

  @BeforeAll
  static void start() {
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
    api = CrudApiServer.start();
    server = api.server();
    client = api.client();
  }

  @AfterAll
  static void stop() throws IOException {
    api.close();
    var out = String.join("\n", report);
    System.out.println(
        "\n===== Parapet operator benchmark =====\n"
            + out
            + "\n======================================");
    Files.writeString(Path.of("target", "bench-results.txt"), out + "\n");
  }

  static CloudAccount account(String name) {
    var a = new CloudAccount();
    a.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("bench")
            .withUid("uid-" + name)
            .build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS, "123456789012", List.of(), null, null, null));
    return a;
  }

  /** n realistic FAIL results spread over the engine's real rules and two regions. */
  static List<DesiredFinding> desired(CloudAccount account, int n) {
    return desired(account, n, 0);
  }

  static List<DesiredFinding> desired(CloudAccount account, int n, int offset) {
    var rules =
        dev.parapet.operator.aws.rules.RuleRegistry.defaults().rules().stream()
            .map(r -> r.metadata())
            .toList();
    var failures = new ArrayList<CheckResult>();
    for (int i = offset; i < offset + n; i++) {
      RuleMetadata rule = rules.get(i % rules.size());
      var region = i % 2 == 0 ? "eu-west-1" : "ap-northeast-1";
      var id = String.format("sg-%017x", i);
      failures.add(
          new CheckResult(
              rule,
              rule.severity(),
              region,
              "AWS::EC2::SecurityGroup",
              id,
              "arn:aws:ec2:" + region + ":123456789012:security-group/" + id,
              "",
              "Security group "
                  + id
                  + " (web-tier-"
                  + i
                  + ") allows tcp/22 from 0.0.0.0/0 and ::/0; attached to 3 network interfaces",
              Map.of("team", "payments")));
    }
    var now = Instant.now();
    var outcome =
        new ScanOutcome(
            null, null, now, now, 0, n, List.of(), List.of(), Set.of(), failures, Set.of(),
            List.of());
    var policy = PolicyMerger.merge(List.of(), Map.of(), rules, now);
    return CloudFindings.desired(account, outcome, policy, 600).findings();
  }

  static long writes(List<io.fabric8.mockwebserver.http.RecordedRequest> rs) {
    return rs.stream()
        .filter(r -> Set.of("POST", "PUT", "PATCH", "DELETE").contains(r.getMethod()))
        .count();
  }

  static List<io.fabric8.mockwebserver.http.RecordedRequest> drain() throws InterruptedException {
    var out = new ArrayList<io.fabric8.mockwebserver.http.RecordedRequest>();
    io.fabric8.mockwebserver.http.RecordedRequest r;
    while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
      out.add(r);
    }
    return out;
  }

  @Test
  void findingsWritesSizesAndHeap() throws Exception {
    var acct = account("bench-1k");
    var scope = FindingStore.accountScope("bench", acct.getMetadata().getName());
    var d1k = desired(acct, 1000);

    var store = new FindingStore(client);
    var writer =
        new FindingWriter(client, store, FindingWriter.Options.unfenced(Duration.ofDays(7)));
    var first = writer.sync(scope, d1k, f -> false, 100_000);
    drain();
    var again = new FindingStore(client); // a fresh cache, as after a restart: the harder case
    var rescan =
        new FindingWriter(client, again, FindingWriter.Options.unfenced(Duration.ofDays(7)))
            .sync(scope, d1k, f -> false, 100_000);
    var serverWrites = writes(drain());
    report.add(
        String.format(
            "steady-state writes per rescan (1000 findings): %d writer writes, %d write requests at the API server (first scan: %d writes)",
            rescan.writes(), serverWrites, first.writes()));
    again.stop();

    var sizes =
        client.resources(Finding.class).inNamespace("bench").list().getItems().stream()
            .mapToInt(f -> Serialization.asJson(f).getBytes(StandardCharsets.UTF_8).length)
            .summaryStatistics();
    report.add(
        String.format(
            "Finding size (JSON as stored, %d objects): average %.0f bytes, max %d bytes (goal: average <= 2048)",
            sizes.getCount(), sizes.getAverage(), sizes.getMax()));
    store.stop();

    var heap1k = cacheHeap(1000);
    // 9000 more findings in a second account
    var acct2 = account("bench-9k");
    var store2 = new FindingStore(client);
    new FindingWriter(client, store2, FindingWriter.Options.unfenced(Duration.ofDays(7)))
        .sync(
            FindingStore.accountScope("bench", "bench-9k"),
            desired(acct2, 9000, 1000),
            f -> false,
            100_000);
    store2.stop();
    var heap10k = cacheHeap(10000);
    report.add(
        String.format(
            "heap per cached Finding: %.0f bytes (slope between %d bytes at 1k and %d bytes at 10k cached findings)",
            (heap10k - heap1k) / 9000.0, heap1k, heap10k));
  }

  /**
   * Heap held by a started FindingStore over {@code expected} findings: used(with) - used(without).
   */
  static long cacheHeap(int expected) throws InterruptedException {
    drain();
    var without = usedAfterGc();
    var store = new FindingStore(client);
    var n = store.all().size();
    if (n != expected) {
      throw new IllegalStateException("expected " + expected + " cached findings, saw " + n);
    }
    var with = usedAfterGc();
    store.stop();
    drain();
    return with - without;
  }

  static long usedAfterGc() throws InterruptedException {
    var mem = ManagementFactory.getMemoryMXBean();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
      best = Math.min(best, mem.getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  @Test
  void startupAndRssAgainstABareQuarkusApp() throws Exception {
    var root = Path.of(System.getProperty("parapet.repo.root", ".."));
    var operatorJar = root.resolve("operator/target/quarkus-app/quarkus-run.jar");
    var bareJar = root.resolve("bench/bare-rest/target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(operatorJar) || !Files.exists(bareJar)) {
      throw new IllegalStateException(
          "build both jars first: bench/run.sh does (" + operatorJar + ", " + bareJar + ")");
    }
    var op = new ArrayList<long[]>();
    var bare = new ArrayList<long[]>();
    for (int i = 0; i < 3; i++) {
      bare.add(launch(bareJar, Map.of()));
      op.add(launch(operatorJar, controllerEnv(server)));
    }
    var opReady = median(op, 0);
    var bareReady = median(bare, 0);
    var opRss = median(op, 1);
    var bareRss = median(bare, 1);
    report.add(
        String.format(
            "time-to-ready (median of 3): operator %d ms, bare Quarkus REST %d ms, ratio %.2f",
            opReady, bareReady, (double) opReady / bareReady));
    report.add(
        String.format(
            "RSS when ready (median of 3): operator %d MiB, bare Quarkus REST %d MiB, ratio %.2f",
            opRss / 1024, bareRss / 1024, (double) opRss / bareRss));
  }

  /**
   * The environment of the operator in the controller role against a mock API server, as the
   * chart's controller Deployment sets it: no admission policy watch (and so no admission warm-up)
   * in a process that serves no admission requests, and no launcher preflight (its own Fabric8
   * client would initialise Netty before Quarkus does).
   */
  static Map<String, String> controllerEnv(KubernetesMockServer server) {
    return Map.of(
        "KUBERNETES_MASTER", server.url("/"),
        "KUBERNETES_TRUST_CERTIFICATES", "true",
        "KUBERNETES_NAMESPACE", "default",
        "KUBECONFIG", "/nonexistent",
        "PARAPET_ROLE", "controller",
        "PARAPET_WEBHOOK_WATCH_CLUSTER", "false",
        // The chart's pods skip the launcher's preflight (templates/_helpers.tpl): the probes and
        // the restart policy cover an unreachable API server there.
        "PARAPET_PREFLIGHT_SKIP", "true");
  }

  static long median(List<long[]> runs, int index) {
    return runs.stream().mapToLong(r -> r[index]).sorted().toArray()[runs.size() / 2];
  }

  /** Starts a Quarkus jar, waits for /q/health/ready, returns {ms to ready, VmRSS kB}. */
  static long[] launch(Path jar, Map<String, String> env) throws Exception {
    return launch(
        Path.of(System.getProperty("java.home"), "bin", "java"), List.of(), jar, env, false);
  }

  /**
   * Starts a Quarkus jar with {@code java} and {@code jvmArgs}, waits for /q/health/ready, returns
   * {ms to ready, VmRSS kB two seconds later ({@code -Dbench.settle.ms}), live threads then}. The
   * jar runs from its own directory (as in the image, and as AppCDS/AOT archives need). With {@code
   * training}, the process is stopped with SIGTERM and waited for up to five minutes, so an archive
   * written at exit is complete.
   */
  static long[] launch(
      Path java, List<String> jvmArgs, Path jar, Map<String, String> env, boolean training)
      throws Exception {
    var http = freePort();
    var mgmt = freePort();
    var command = new ArrayList<String>();
    command.add(java.toString());
    command.addAll(jvmArgs);
    command.add("-Dquarkus.http.port=" + http);
    command.add("-Dquarkus.management.port=" + mgmt);
    command.add("-jar");
    command.add(jar.getFileName().toString());
    var pb = new ProcessBuilder(command).directory(jar.getParent().toFile());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true)
        .redirectOutput(
            Path.of("target", jar.getParent().getParent().getParent().getFileName() + "-bench.log")
                .toAbsolutePath()
                .toFile());
    var started = System.nanoTime();
    var p = pb.start();
    try {
      // HTTP/1.1 as the kubelet's probes: the JDK client's default (HTTP/2) asks the server to
      // upgrade the connection, which loads Netty's and Vert.x's HTTP/2 classes (about 150) into
      // the process being measured.
      var client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofMillis(200))
              .build();
      var uri = URI.create("http://127.0.0.1:" + mgmt + "/q/health/ready");
      // 120 s by default; -Dbench.ready.timeout for a machine loaded far beyond its cores.
      var timeout = Integer.getInteger("bench.ready.timeout", 120);
      var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
      while (true) {
        if (!p.isAlive()) {
          throw new IllegalStateException(jar + " exited with " + p.exitValue());
        }
        try {
          var r =
              client.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(),
                  HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            break;
          }
        } catch (IOException e) {
          // not listening yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(jar + " not ready within " + timeout + " s");
        }
        Thread.sleep(25);
      }
      var ready = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      Thread.sleep(Long.getLong("bench.settle.ms", 2000));
      var status = Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status"));
      if (Boolean.getBoolean("bench.threaddump")) {
        // Which threads and classes a variant runs with (for choosing levers), beside the log.
        var dump =
            Path.of(
                "target",
                "bench",
                jar.getParent().getParent().getParent().getFileName() + "-" + p.pid());
        Files.createDirectories(dump.getParent());
        var jcmd = Path.of(java.getParent().toString(), "jcmd").toString();
        new ProcessBuilder(jcmd, String.valueOf(p.pid()), "Thread.print")
            .redirectOutput(Path.of(dump + "-threads.txt").toAbsolutePath().toFile())
            .start()
            .waitFor(60, TimeUnit.SECONDS);
        new ProcessBuilder(jcmd, String.valueOf(p.pid()), "VM.native_memory", "summary")
            .redirectOutput(Path.of(dump + "-nmt.txt").toAbsolutePath().toFile())
            .start()
            .waitFor(60, TimeUnit.SECONDS);
        // Resident memory by mapping (the AOT cache and the jars are file-backed, the heap and
        // malloc anonymous).
        Files.copy(
            Path.of("/proc", String.valueOf(p.pid()), "smaps"),
            Path.of(dump + "-smaps.txt").toAbsolutePath());
        new ProcessBuilder(jcmd, String.valueOf(p.pid()), "GC.class_histogram")
            .redirectOutput(Path.of(dump + "-classes.txt").toAbsolutePath().toFile())
            .start()
            .waitFor(60, TimeUnit.SECONDS);
      }
      return new long[] {ready, statusField(status, "VmRSS:"), statusField(status, "Threads:")};
    } finally {
      p.destroy();
      if (!p.waitFor(training ? 300 : 20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static long statusField(List<String> status, String field) {
    return status.stream()
        .filter(l -> l.startsWith(field))
        .map(l -> l.replaceAll("\\D", ""))
        .mapToLong(Long::parseLong)
        .findFirst()
        .orElse(-1);
  }

  static int freePort() throws IOException {
    try (var s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
