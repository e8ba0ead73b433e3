package dev.parapet.operator.aws.bench;

import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.engine.ScanRequest;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many accounts (issue 19 item 6), outside the default test run ({@code -Pbench}, see
 * docs/benchmarks.md): full scan cycles of 1, 50 and 200 accounts x 17 regions against canned
 * answers with 50 ms injected per call. Nothing here asserts on time.
 *
 * <p>Canned answers: {@link MotoProxy#replay()} records moto's answers for one account in every
 * region once, then answers every account from the recording (moto is not called during a measured
 * cycle; the recorded count is printed to show it). All accounts are moto's empty default account
 * (123456789012: one default VPC, security group and network ACL per region, no other resources),
 * each with its own access key, so each has its own SDK clients as in the operator.
 *
 * <p>As in the operator: one client factory ({@link ClientSettings#defaults()}) and one engine for
 * the process, the accounts of a cycle run on a fixed pool of {@code parapet.scan.concurrency}
 * threads (the ScanCoordinator's pool; read from application.properties, overridable with {@code
 * -Dparapet.scan.concurrency}), every rule but Access Analyzer's (moto answers HTTP 500). What is
 * not the operator's: Findings are not written (the accounts are only scanned), and the proxy runs
 * in the same JVM, so process CPU and heap include the proxy's; the CPU of the scan and collection
 * threads alone is printed beside it.
 *
 * <p>Knobs: {@code -Dbench.accounts} (1,50,200), {@code -Dbench.latency} (50 ms), {@code
 * -Dbench.single.runs} (5 one-account cycles, median). Writes {@code target/bench/accounts.txt}.
 */
@Tag("bench")
@ExtendWith(MotoExtension.class)
class AccountScaleBenchmark {
  static final CloudPolicy POLICY =
      CloudPolicy.defaults().withServices(Set.of(), Set.of("accessanalyzer"));
  static final String SECRET = "bench/fake/secret/key/for/canned/answers0";
  private final List<String> lines = new ArrayList<>();

  record Cycle(
      int accounts,
      long wallMs,
      long calls,
      long attempts,
      long errors,
      long results,
      long processCpuMs,
      long scanThreadsCpuMs,
      long peakHeapMiB,
      long gcMs,
      long liveHeapMiB,
      long recordedDuring,
      Map<String, Long> callsByOperation) {}

  @Test
  void cycles(MotoServer moto) throws Exception {
    var root = java.util.logging.Logger.getLogger("");
    root.setLevel(java.util.logging.Level.INFO);
    var concurrency = scanConcurrency();
    var latency = Integer.getInteger("bench.latency", 50);
    var sizes =
        Arrays.stream(System.getProperty("bench.accounts", "1,50,200").split(","))
            .map(String::trim)
            .mapToInt(Integer::parseInt)
            .toArray();
    var singleRuns = Integer.getInteger("bench.single.runs", 5);
    print(
        "load average at start: %s; %d processors; scan concurrency %d (parapet.scan.concurrency), collection threads %d; %d ms per call",
        loadAverage(),
        Runtime.getRuntime().availableProcessors(),
        concurrency,
        ClientSettings.defaults().maxConcurrency(),
        latency);
    try (var proxy = new MotoProxy(moto);
        var factory = new AwsClientFactory(ClientSettings.defaults())) {
      proxy.replay();
      var engine = new ScanEngine(factory);
      var endpoint = proxy.endpoint();
      // Record: one account through every region (answers come from moto), then the same again,
      // which must be answered from the recording alone.
      var record = cycle(engine, proxy, endpoint, 1, 1);
      var check = cycle(engine, proxy, endpoint, 1, 1);
      print(
          "recording: %d answers recorded from moto in %d ms; a second scan recorded %d more (%d calls, %d errors)",
          record.recordedDuring(),
          record.wallMs(),
          check.recordedDuring(),
          check.calls(),
          check.errors());
      proxy.latency(latency);
      // Warm-up (JIT, SDK clients of the first accounts), not measured.
      cycle(engine, proxy, endpoint, concurrency, concurrency);
      var cycles = new ArrayList<Cycle>();
      for (var n : sizes) {
        if (n == 1) {
          var runs = new ArrayList<Cycle>();
          for (int i = 0; i < singleRuns; i++) {
            runs.add(cycle(engine, proxy, endpoint, 1, concurrency));
          }
          runs.sort((a, b) -> Long.compare(a.wallMs(), b.wallMs()));
          cycles.add(runs.get(runs.size() / 2));
        } else {
          cycles.add(cycle(engine, proxy, endpoint, n, concurrency));
        }
        var c = cycles.get(cycles.size() - 1);
        print(
            "%d accounts x 17 regions: wall %.1f s, %d API calls (%.1f per account), %d attempts, %d errors, %d results; process CPU %.1f s (scan + collection threads %.1f s), peak heap %d MiB, GC %d ms, heap after GC at the end %d MiB, moto calls %d%s",
            n,
            c.wallMs() / 1000.0,
            c.calls(),
            (double) c.calls() / n,
            c.attempts(),
            c.errors(),
            c.results(),
            c.processCpuMs() / 1000.0,
            c.scanThreadsCpuMs() / 1000.0,
            c.peakHeapMiB(),
            c.gcMs(),
            c.liveHeapMiB(),
            c.recordedDuring(),
            n == 1 ? " (median of " + singleRuns + " by wall time)" : "");
      }
      var one = cycles.get(0);
      print("calls per account by operation (one account, 17 regions): %s", one.callsByOperation());
      for (var c : cycles.subList(1, cycles.size())) {
        var n = (double) c.accounts() / one.accounts();
        print(
            "%d accounts / %d: wall %.2f, calls %.2f (calls per account %.3f of the single account's), CPU %.2f, peak heap %.2f; per account wall %.0f ms",
            c.accounts(),
            one.accounts(),
            (double) c.wallMs() / one.wallMs(),
            (double) c.calls() / one.calls(),
            c.calls() / n / one.calls(),
            (double) c.processCpuMs() / Math.max(1, one.processCpuMs()),
            (double) c.peakHeapMiB() / Math.max(1, one.peakHeapMiB()),
            (double) c.wallMs() / c.accounts());
      }
    }
    print("load average at end: %s", loadAverage());
    var out = Path.of("target", "bench", "accounts.txt");
    Files.createDirectories(out.getParent());
    Files.write(out, lines);
    System.out.println(String.join(System.lineSeparator(), lines));
  }

  /**
   * One scan cycle of {@code n} accounts (every region) on {@code concurrency} threads, as the
   * ScanCoordinator runs them.
   */
  static Cycle cycle(ScanEngine engine, MotoProxy proxy, URI endpoint, int n, int concurrency)
      throws InterruptedException, ExecutionException {
    System.gc();
    var heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toList();
    heapPools.forEach(p -> p.resetPeakUsage());
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var cpu0 = os.getProcessCpuTime();
    var threads0 = scanThreadsCpu();
    var gc0 = gcMillis();
    var recorded0 = proxy.replayCounts()[0];
    var start = System.nanoTime();
    var counter = new AtomicInteger();
    var pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              var t = new Thread(r, "parapet-scan-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    long calls = 0;
    long attempts = 0;
    long errors = 0;
    long results = 0;
    var byOperation = new TreeMap<String, Long>();
    long threadsCpu;
    try {
      var futures = new ArrayList<Future<long[]>>();
      for (int i = 0; i < n; i++) {
        var request = request(endpoint, i);
        futures.add(
            pool.submit(
                () -> {
                  var report = engine.scan(request);
                  if (n == 1) {
                    synchronized (byOperation) {
                      report.apiCalls().forEach((k, v) -> byOperation.merge(k, v, Long::sum));
                    }
                  }
                  return new long[] {
                    report.apiCallCount(),
                    report.apiAttempts(),
                    report.errors().size(),
                    report.results().size()
                  };
                }));
      }
      for (var f : futures) {
        var r = f.get();
        calls += r[0];
        attempts += r[1];
        errors += r[2];
        results += r[3];
      }
      threadsCpu = diff(scanThreadsCpu(), threads0);
    } finally {
      pool.shutdownNow();
    }
    var wall = (System.nanoTime() - start) / 1_000_000;
    var cpu = (os.getProcessCpuTime() - cpu0) / 1_000_000;
    long peak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    // What the cycle leaves behind (cached SDK clients and the like): heap used after full GCs,
    // and the largest classes by bytes, beside the figures.
    long live = usedAfterGc();
    histogram(n);
    return new Cycle(
        n,
        wall,
        calls,
        attempts,
        errors,
        results,
        cpu,
        threadsCpu / 1_000_000,
        peak >> 20,
        gcMillis() - gc0,
        live >> 20,
        proxy.replayCounts()[0] - recorded0,
        byOperation);
  }

  /** Account i: moto's account, its own (fake) access key, so its own SDK clients. */
  static ScanRequest request(URI endpoint, int i) {
    return ScanRequest.of(MotoServer.ACCOUNT_ID, EngineBenchmark.SEVENTEEN)
        .withCredentials(
            new CredentialSource.StaticKeys(
                String.format(Locale.ROOT, "AKIABENCH%011d", i), SECRET, null))
        .withEndpoint(endpoint)
        .withPolicy(POLICY);
  }

  /** CPU time of the live scan-pool and collection threads, by thread id. */
  static Map<Long, Long> scanThreadsCpu() {
    var mx = ManagementFactory.getThreadMXBean();
    var out = new HashMap<Long, Long>();
    for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null
          && (info.getThreadName().startsWith("parapet-scan-")
              || info.getThreadName().startsWith("parapet-aws-collect-"))) {
        out.put(info.getThreadId(), mx.getThreadCpuTime(info.getThreadId()));
      }
    }
    return out;
  }

  static long diff(Map<Long, Long> end, Map<Long, Long> start) {
    return end.entrySet().stream()
        .mapToLong(e -> Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), 0L)))
        .sum();
  }

  static long usedAfterGc() throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  /** The first lines of this JVM's class histogram, to target/bench/accounts-histogram-n.txt. */
  static void histogram(int n) {
    try {
      var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      var out = Path.of("target", "bench", "accounts-histogram-" + n + ".txt").toAbsolutePath();
      Files.createDirectories(out.getParent());
      new ProcessBuilder(
              jcmd.toString(), String.valueOf(ProcessHandle.current().pid()), "GC.class_histogram")
          .redirectErrorStream(true)
          .redirectOutput(out.toFile())
          .start()
          .waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException e) {
      // the histogram is an aid, not a figure
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(g -> Math.max(0, g.getCollectionTime()))
        .sum();
  }

  /**
   * The operator's account concurrency: {@code parapet.scan.concurrency} of application.properties.
   */
  static int scanConcurrency() throws IOException {
    var override = Integer.getInteger("parapet.scan.concurrency");
    if (override != null) {
      return override;
    }
    var props = new Properties();
    try (InputStream in =
        AccountScaleBenchmark.class
            .getClassLoader()
            .getResourceAsStream("application.properties")) {
      props.load(in);
    }
    var value = props.getProperty("parapet.scan.concurrency").trim();
    // A property expression such as ${PARAPET_SCAN_CONCURRENCY:4}: its default.
    var m = java.util.regex.Pattern.compile("\\$\\{[^:}]*:(\\d+)}").matcher(value);
    return Integer.parseInt(m.matches() ? m.group(1) : value);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "n/a";
    }
  }

  private void print(String format, Object... args) {
    lines.add(String.format(Locale.ROOT, format, args));
  }
}
