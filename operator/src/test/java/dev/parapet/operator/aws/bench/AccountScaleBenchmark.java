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
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many accounts (issue 19 item 6), outside the default test run ({@code -Pbench}, see
 * docs/benchmarks.md): full scan cycles of 1, 50 and 200 accounts x 17 regions against canned
 * answers with 50 ms injected per call. Nothing here asserts on time.
 *
 * <p>Canned answers: {@link MotoProxy#record()} records moto's last answers for one account in
 * every region once ({@link #recordAnswers}), then {@link MotoProxy#replay()} answers every account
 * from the recording (moto is not called during a measured cycle; the count is printed to show it,
 * and every cycle prints its accounts grouped by calls and errors against the recorded account).
 * All accounts are moto's empty default account (123456789012: one default VPC, security group and
 * network ACL per region, no other resources), each with its own access key, so each has its own
 * credentials, token buckets and retry state (the SDK clients are shared across accounts, as in the
 * operator).
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
      Map<String, Long> callsByOperation,
      Map<Profile, Long> profiles) {}

  /**
   * What one account's scan did: its calls by operation and its collection errors. Accounts of a
   * cycle are grouped by profile (answers are canned, so normally every account has the same one).
   */
  record Profile(Map<String, Long> calls, List<String> errors) {
    long total() {
      return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * One line: {@code PROFILE accounts<TAB>op=n,...<TAB>error | error}, read by {@link #parse}.
     */
    String line(long accounts) {
      var ops = new StringBuilder();
      calls.forEach((k, v) -> ops.append(ops.length() == 0 ? "" : ",").append(k + "=" + v));
      return "PROFILE " + accounts + "\t" + ops + "\t" + String.join(" | ", errors);
    }

    static Map.Entry<Profile, Long> parse(String line) {
      var parts = line.substring("PROFILE ".length()).split("\t", -1);
      var calls = new TreeMap<String, Long>();
      for (var kv : parts[1].split(",")) {
        if (!kv.isEmpty()) {
          var i = kv.lastIndexOf('=');
          calls.put(kv.substring(0, i), Long.parseLong(kv.substring(i + 1)));
        }
      }
      var errors = parts[2].isEmpty() ? List.<String>of() : List.of(parts[2].split(" \\| "));
      return Map.entry(new Profile(calls, errors), Long.parseLong(parts[0]));
    }

    /** Operations whose count differs from {@code base}'s, as {@code op: base -> this}. */
    String diff(Profile base) {
      var ops = new java.util.TreeSet<>(calls.keySet());
      ops.addAll(base.calls.keySet());
      var out = new StringBuilder();
      for (var op : ops) {
        var a = base.calls.getOrDefault(op, 0L);
        var b = calls.getOrDefault(op, 0L);
        if (!a.equals(b)) {
          out.append(out.length() == 0 ? "" : ", ").append(op + ": " + a + " -> " + b);
        }
      }
      return out.length() == 0 ? "same calls" : out.toString();
    }
  }

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
      var engine = new ScanEngine(factory);
      var endpoint = proxy.endpoint();
      var check = recordAnswers(moto, engine, proxy, endpoint);
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
        var recordedProfile = check.profiles().keySet().iterator().next();
        c.profiles()
            .forEach(
                (p, count) ->
                    print(
                        "  %d account(s): %d calls, %d errors %s; against the recorded account: %s",
                        count, p.total(), p.errors().size(), p.errors(), p.diff(recordedProfile)));
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
   * The same cycle split into shards (issue 19 item 6, "then with two shards"): each replica a JVM
   * of its own ({@link ShardReplica}: one factory and engine, the accounts of its shard by the
   * operator's {@code ShardAssignment} hash), all replicas started together against this JVM's
   * canned answers, so each replica's heap, CPU and calls are its own. Knobs: {@code
   * -Dbench.shard.accounts} (200), {@code -Dbench.shards} (1,2: one replica of all accounts, then
   * two). The replicas and the proxy share this machine's cores. Writes {@code
   * target/bench/shards.txt}.
   */
  @Test
  void shards(MotoServer moto) throws Exception {
    var concurrency = scanConcurrency();
    var latency = Integer.getInteger("bench.latency", 50);
    var accounts = Integer.getInteger("bench.shard.accounts", 200);
    var counts =
        Arrays.stream(System.getProperty("bench.shards", "1,2").split(","))
            .map(String::trim)
            .mapToInt(Integer::parseInt)
            .toArray();
    print(
        "load average at start: %s; %d processors; scan concurrency %d per replica; %d ms per call",
        loadAverage(), Runtime.getRuntime().availableProcessors(), concurrency, latency);
    try (var proxy = new MotoProxy(moto);
        var factory = new AwsClientFactory(ClientSettings.defaults())) {
      var engine = new ScanEngine(factory);
      var endpoint = proxy.endpoint();
      var recordedProfile =
          recordAnswers(moto, engine, proxy, endpoint).profiles().keySet().iterator().next();
      proxy.latency(latency);
      for (var count : counts) {
        var recorded0 = proxy.replayCounts()[0];
        var profiles = new ArrayList<List<Map.Entry<Profile, Long>>>();
        var results = replicas(endpoint, count, accounts, concurrency, profiles);
        long wall = 0;
        long calls = 0;
        for (var r : results) {
          wall = Math.max(wall, r.get("wallMs"));
          calls += r.get("calls");
          print(
              "%d shard(s), replica %d: %d accounts, wall %.1f s, %d API calls (%.1f per account), %d errors, process CPU %.1f s (scan + collection threads %.1f s), peak heap %d MiB, GC %d ms, heap after GC %d MiB, %d SDK clients",
              count,
              r.get("shard"),
              r.get("accounts"),
              r.get("wallMs") / 1000.0,
              r.get("calls"),
              (double) r.get("calls") / Math.max(1, r.get("accounts")),
              r.get("errors"),
              r.get("cpuMs") / 1000.0,
              r.get("scanCpuMs") / 1000.0,
              r.get("peakHeapMiB"),
              r.get("gcMs"),
              r.get("liveHeapMiB"),
              r.get("clients"));
          for (var p : profiles.get(results.indexOf(r))) {
            print(
                "  %d account(s): %d calls, %d errors %s; against the recorded account: %s",
                p.getValue(),
                p.getKey().total(),
                p.getKey().errors().size(),
                p.getKey().errors(),
                p.getKey().diff(recordedProfile));
          }
        }
        print(
            "%d shard(s) of %d accounts: cycle wall %.1f s (slowest replica), %d API calls, moto calls %d; load average now %s",
            count,
            accounts,
            wall / 1000.0,
            calls,
            proxy.replayCounts()[0] - recorded0,
            loadAverage());
      }
    }
    var out = Path.of("target", "bench", "shards.txt");
    Files.createDirectories(out.getParent());
    Files.write(out, lines);
    System.out.println(String.join(System.lineSeparator(), lines));
  }

  /**
   * Records the canned answers from a reset moto: one account through every region with every
   * request reaching moto and its last answer kept ({@link MotoProxy#record()}: IAM's credential
   * report is generated during it, so the recording holds the report, as an account scanned within
   * the last four hours has one; 5xx answers are never kept), then scans of the same account from
   * the recording ({@link MotoProxy#replay()}) until one takes nothing more from moto (at most
   * three: a request whose only answer so far was a transient 5xx, such as moto's failures under
   * concurrent first requests to a service, is asked again). Returns the last scan: what every
   * replayed account does.
   */
  private Cycle recordAnswers(MotoServer moto, ScanEngine engine, MotoProxy proxy, URI endpoint)
      throws InterruptedException, ExecutionException {
    moto.reset();
    proxy.record();
    var record = cycle(engine, proxy, endpoint, 1, 1);
    proxy.replay();
    var checks = new ArrayList<Long>();
    Cycle check;
    do {
      check = cycle(engine, proxy, endpoint, 1, 1);
      checks.add(check.recordedDuring());
    } while (check.recordedDuring() > 0 && checks.size() < 3);
    var profile = check.profiles().keySet().iterator().next();
    print(
        "recording: %d answers from moto in %d ms (errors while recording: %s); scans from the recording then took %s more from moto; the recorded account: %d calls, %d errors %s",
        record.recordedDuring(),
        record.wallMs(),
        record.profiles().keySet().iterator().next().errors(),
        checks,
        profile.total(),
        profile.errors().size(),
        profile.errors());
    if (check.recordedDuring() > 0) {
      throw new IllegalStateException(
          "the recording is incomplete: the last scan from it still asked moto "
              + check.recordedDuring()
              + " times");
    }
    return check;
  }

  /** Runs {@code count} replica JVMs at once and returns their RESULT figures. */
  private static List<Map<String, Long>> replicas(
      URI endpoint,
      int count,
      int accounts,
      int concurrency,
      List<List<Map.Entry<Profile, Long>>> profiles)
      throws Exception {
    var javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    var argfile = Files.createTempFile("parapet-shard-cp", ".args");
    Files.writeString(argfile, "-cp " + classpath);
    var processes = new ArrayList<Process>();
    var readers = new ArrayList<java.io.BufferedReader>();
    try {
      for (int shard = 0; shard < count; shard++) {
        var command = new ArrayList<String>(List.of(javaBin, "@" + argfile));
        var logManager = System.getProperty("java.util.logging.manager");
        if (logManager != null) {
          command.add("-Djava.util.logging.manager=" + logManager);
        }
        command.add("-Dbench.label=shard" + shard + "of" + count + "-");
        command.addAll(
            List.of(
                ShardReplica.class.getName(),
                endpoint.toString(),
                String.valueOf(shard),
                String.valueOf(count),
                String.valueOf(accounts),
                String.valueOf(concurrency)));
        var log = Path.of("target", "bench", "shard" + shard + "of" + count + ".log");
        Files.createDirectories(log.getParent());
        var p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        processes.add(p);
        readers.add(
            new java.io.BufferedReader(
                new java.io.InputStreamReader(
                    p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8)));
      }
      for (var r : readers) {
        String line;
        while ((line = r.readLine()) != null && !line.equals("READY")) {
          // the replica's own output before it is ready
        }
        if (line == null) {
          throw new IllegalStateException("a replica exited before it was ready; see its log");
        }
      }
      // Every replica starts its measured cycle now.
      for (var p : processes) {
        p.getOutputStream().write('\n');
        p.getOutputStream().flush();
      }
      var results = new ArrayList<Map<String, Long>>();
      for (var r : readers) {
        String line;
        var mine = new ArrayList<Map.Entry<Profile, Long>>();
        profiles.add(mine);
        while ((line = r.readLine()) != null && !line.startsWith("RESULT ")) {
          if (line.startsWith("PROFILE ")) {
            mine.add(Profile.parse(line));
          }
        }
        if (line == null) {
          throw new IllegalStateException("a replica exited without a result; see its log");
        }
        var figures = new TreeMap<String, Long>();
        for (var part : line.substring("RESULT ".length()).split(" ")) {
          var kv = part.split("=", 2);
          figures.put(kv[0], Long.parseLong(kv[1]));
        }
        results.add(figures);
      }
      for (var p : processes) {
        p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      return results;
    } finally {
      processes.forEach(Process::destroyForcibly);
      Files.deleteIfExists(argfile);
    }
  }

  /**
   * One scan cycle of {@code n} accounts (every region) on {@code concurrency} threads, as the
   * ScanCoordinator runs them.
   */
  static Cycle cycle(ScanEngine engine, MotoProxy proxy, URI endpoint, int n, int concurrency)
      throws InterruptedException, ExecutionException {
    return cycle(
        engine,
        proxy == null ? () -> 0 : () -> proxy.replayCounts()[0],
        endpoint,
        IntStream.range(0, n).toArray(),
        concurrency);
  }

  /**
   * One scan cycle of the accounts {@code indices} (see {@link #request}); {@code recorded} counts
   * answers taken from moto so far.
   */
  static Cycle cycle(
      ScanEngine engine, LongSupplier recorded, URI endpoint, int[] indices, int concurrency)
      throws InterruptedException, ExecutionException {
    var n = indices.length;
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
    var recorded0 = recorded.getAsLong();
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
    var profiles = new java.util.concurrent.ConcurrentHashMap<Profile, Long>();
    long threadsCpu;
    try {
      var futures = new ArrayList<Future<long[]>>();
      for (var i : indices) {
        var request = request(endpoint, i);
        futures.add(
            pool.submit(
                () -> {
                  var report = engine.scan(request);
                  profiles.merge(
                      new Profile(
                          new TreeMap<>(report.apiCalls()),
                          report.errors().stream()
                              .map(e -> e.describe().replaceAll("\\s+", " "))
                              .sorted()
                              .toList()),
                      1L,
                      Long::sum);
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
        recorded.getAsLong() - recorded0,
        byOperation,
        Map.copyOf(profiles));
  }

  /** Account i: moto's account, its own (fake) access key, so its own account state. */
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
      var label = System.getProperty("bench.label", "");
      var out =
          Path.of("target", "bench", "accounts-histogram-" + label + n + ".txt").toAbsolutePath();
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
