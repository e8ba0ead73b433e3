package dev.parapet.e2e.kube;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.findings.CloudFindings;
import dev.parapet.operator.findings.DesiredFinding;
import dev.parapet.operator.findings.FindingPlanner;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.scan.CheckResult;
import dev.parapet.operator.scan.ScanOutcome;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 3 on the real API server (kube-apiserver + etcd on 127.0.0.1), outside the default
 * run ({@code -Pbench}, see docs/benchmarks.md): creates realistic Findings (the engine's rule
 * metadata, English and Japanese texts, a status) up to each size in {@code parapet.bench.sizes}
 * (default 10000,100000), {@code parapet.bench.threads} (32) creates in flight, and at each size
 * measures
 *
 * <ul>
 *   <li>the heap held by the Finding cache after GC: {@link FindingStore} (compact projections)
 *       and, up to {@code parapet.bench.wholeMax} Findings (10000), the informer as FindingStore
 *       had it before (whole Findings, one unpaged list); heap used after three {@code System.gc()}
 *       with the cache started minus before it; and the time each took to list and sync;
 *   <li>what counting over every Finding costs with the cache synced (the findings metric after
 *       every scan): {@code store.all()} against {@link FindingStore#forEachSpecAndStatus}, time
 *       and bytes allocated;
 *   <li>the resident memory (VmRSS, peak VmHWM) of etcd, kube-apiserver and
 *       kube-controller-manager, and etcd's database file;
 *   <li>the wall time of {@code kubectl get findings -A} (default, chunks of 500), with {@code -o
 *       name}, and unchunked ({@code --chunk-size=0}); median of {@code parapet.bench.kubectlRuns}
 *       (3);
 *   <li>the Findings' bytes in etcd as the API server reports them ({@code
 *       apiserver_storage_size_bytes} is not served by every version; the average JSON size is).
 * </ul>
 *
 * The control plane is this benchmark's own ({@link KubeCluster#startDedicated}), with the tier's
 * flags minus the audit log (the tier's write recorder) plus {@link #ETCD_FLAGS} and {@link
 * #API_SERVER_FLAGS}, and it is stopped at the end. Prints the figures and writes them to {@code
 * target/bench/finding-store.txt}. Nothing asserted on time or size.
 */
@Tag("bench")
class FindingStoreScaleBench {

  private static final String NS = "bench-light";
  private static final List<String> report = new ArrayList<>();

  /**
   * etcd's default backend quota is 2 GiB; 100k Findings (two revisions each until the API server
   * compacts, every 5 minutes) come near it, so the benchmark gives etcd 8 GiB.
   */
  static final List<String> ETCD_FLAGS = List.of("--quota-backend-bytes=8589934592");

  /**
   * More requests in flight than the defaults (400 and 200) for the parallel creates; the admin is
   * in system:masters, which priority and fairness exempts, so these are a ceiling, not a queue.
   */
  static final List<String> API_SERVER_FLAGS =
      List.of("--max-requests-inflight=800", "--max-mutating-requests-inflight=400");

  @Test
  void heapAndListLatencyAt10kAnd100k() throws Exception {
    try (var cluster =
        KubeCluster.startDedicated(
            "kube-bench",
            new dev.parapet.operator.demo.LocalControlPlane.Options(
                true, false, ETCD_FLAGS, API_SERVER_FLAGS))) {
      log("etcd flags (added): %s; kube-apiserver flags (added): %s", ETCD_FLAGS, API_SERVER_FLAGS);
      run(cluster);
    }
  }

  private void run(KubeCluster cluster) throws Exception {
    RealChart.applyCrds(cluster);
    var admin = cluster.admin();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    var account = new CloudAccount();
    account.setMetadata(new ObjectMetaBuilder().withName("bench").withNamespace(NS).build());
    account.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS, "123456789012", List.of(), null, null, null));
    account =
        admin
            .resource(account)
            .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    var sizes =
        Arrays.stream(System.getProperty("parapet.bench.sizes", "10000,100000").split(","))
            .map(String::trim)
            .mapToInt(Integer::parseInt)
            .toArray();
    log(
        "load average at start: %.1f",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    var existing = count(admin);
    var results = new ArrayList<long[]>();
    var wholeMax = Integer.getInteger("parapet.bench.wholeMax", 10000);
    for (var size : sizes) {
      var t0 = System.nanoTime();
      var created = createUpTo(admin, account, existing, size);
      var seconds = (System.nanoTime() - t0) / 1e9;
      log(
          "created %d Findings (with status) from %d up to %d in %.0f s: %.0f Findings/s (%d threads), load %.1f",
          created, existing, size, seconds, (size - existing) / seconds, THREADS, load());
      existing = size;
      var whole = size <= wholeMax ? heapOf("whole", () -> wholeInformer(admin), size) : -1;
      var compact = heapOf("compact", () -> compactStore(admin), size);
      log(
          "heap of the cache at %d Findings: whole %s, compact %d bytes (%d per Finding)",
          size,
          whole < 0
              ? "not measured (above parapet.bench.wholeMax)"
              : whole + " bytes (" + whole / size + " per Finding)",
          compact,
          compact / size);
      results.add(new long[] {size, whole, compact});
      countingCost(admin, size);
      processes(cluster, size);
      for (var args :
          List.of(
              new String[] {"get", "findings", "-A"},
              new String[] {"get", "findings", "-A", "-o", "name"},
              new String[] {"get", "findings", "-A", "--chunk-size=0"})) {
        log(
            "kubectl %s at %d Findings: median %d ms (load %.1f)",
            String.join(" ", args), size, kubectlMillis(cluster, args, size), load());
      }
      var sample =
          admin
              .resources(Finding.class)
              .inNamespace(NS)
              .list(
                  new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(200L).build())
              .getItems();
      var bytes =
          sample.stream()
              .mapToInt(f -> Serialization.asJson(f).getBytes(StandardCharsets.UTF_8).length)
              .summaryStatistics();
      log(
          "Finding JSON as served (200 sampled, with managedFields): average %.0f bytes, max %d",
          bytes.getAverage(), bytes.getMax());
      var metrics = cluster.kubectl("get", "--raw", "/metrics").stdout();
      metrics
          .lines()
          .filter(
              l ->
                  l.contains("findings.parapet.dev")
                      && (l.startsWith("apiserver_storage_objects")
                          || l.startsWith("apiserver_storage_size_bytes")
                          || l.startsWith("apiserver_resource_size_estimate_bytes")))
          .forEach(l -> log("metric %s", l));
    }
    for (int i = 1; i < results.size(); i++) {
      var a = results.get(i - 1);
      var b = results.get(i);
      log(
          "slope %d -> %d Findings: whole %s, compact %.0f bytes per Finding",
          a[0],
          b[0],
          a[1] < 0 || b[1] < 0
              ? "not measured"
              : String.format("%.0f bytes per Finding", (b[1] - a[1]) / (double) (b[0] - a[0])),
          (b[2] - a[2]) / (double) (b[0] - a[0]));
    }
    log("load average at end: %.1f", load());
    var out = String.join("\n", report);
    System.out.println(
        "\n===== Finding store at scale =====\n" + out + "\n==================================");
    Files.createDirectories(Path.of("target", "bench"));
    Files.writeString(Path.of("target", "bench", "finding-store.txt"), out + "\n");
  }

  private static final int THREADS = Integer.getInteger("parapet.bench.threads", 32);

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /**
   * With the compact store synced: what the findings metric after a scan costs when it builds every
   * cached Finding ({@code store.all()}, as before) and when it counts over the projections, in
   * time and bytes allocated by this thread (median of 5 after 2 unmeasured).
   */
  private static void countingCost(KubernetesClient client, int size) {
    var store = new FindingStore(client);
    store.start();
    try {
      var metrics =
          new dev.parapet.operator.metrics.ParapetMetrics(
              new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
      var viaAll = cost(() -> metrics.refreshFindings(store.all()));
      var viaProjections = cost(() -> metrics.refreshFindings(store::forEachSpecAndStatus));
      log(
          "findings metric at %d Findings: via store.all() %d ms, %d MB allocated; over the projections %d ms, %d MB allocated",
          size, viaAll[0], viaAll[1] >> 20, viaProjections[0], viaProjections[1] >> 20);
    } finally {
      store.stop();
    }
  }

  private static long[] cost(Runnable r) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    var id = Thread.currentThread().getId();
    var times = new ArrayList<Long>();
    var bytes = new ArrayList<Long>();
    for (int i = 0; i < 7; i++) {
      var b0 = threads.getThreadAllocatedBytes(id);
      var t0 = System.nanoTime();
      r.run();
      var ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      var b = threads.getThreadAllocatedBytes(id) - b0;
      if (i >= 2) {
        times.add(ms);
        bytes.add(b);
      }
    }
    times.sort(null);
    bytes.sort(null);
    return new long[] {times.get(times.size() / 2), bytes.get(bytes.size() / 2)};
  }

  /** Resident memory of the control plane's processes and the size of etcd's database file. */
  private static void processes(KubeCluster cluster, int size) throws Exception {
    for (var name : List.of("etcd", "kube-apiserver", "kube-controller-manager")) {
      var pid = cluster.pid(name);
      if (pid.isEmpty()) {
        continue;
      }
      var status = Files.readAllLines(Path.of("/proc", Long.toString(pid.getAsLong()), "status"));
      log(
          "%s at %d Findings: VmRSS %s, VmHWM (peak) %s",
          name, size, procField(status, "VmRSS"), procField(status, "VmHWM"));
    }
    var db = cluster.dir().resolve("etcd/member/snap/db");
    if (Files.exists(db)) {
      log("etcd database file at %d Findings: %d MiB", size, Files.size(db) >> 20);
    }
  }

  private static String procField(List<String> status, String field) {
    return status.stream()
        .filter(l -> l.startsWith(field + ":"))
        .map(l -> l.substring(field.length() + 1).strip())
        .findFirst()
        .orElse("?");
  }

  private static void log(String format, Object... args) {
    var line = String.format(format, args);
    System.out.println(line);
    report.add(line);
  }

  /** The cache as FindingStore built it before issue 19 item 3: whole Findings, one list. */
  private static AutoCloseable wholeInformer(KubernetesClient client) {
    SharedIndexInformer<Finding> inf =
        client.resources(Finding.class).inAnyNamespace().runnableInformer(0);
    inf.addIndexers(
        Map.of(
            "scope",
            f ->
                List.of(
                    f.getMetadata().getOwnerReferences() == null
                            || f.getMetadata().getOwnerReferences().isEmpty()
                        ? "orphan"
                        : f.getMetadata().getOwnerReferences().get(0).getName())));
    inf.start().toCompletableFuture().orTimeout(30, TimeUnit.MINUTES).join();
    return inf::stop;
  }

  private static AutoCloseable compactStore(KubernetesClient client) {
    var store = new FindingStore(client);
    store.start();
    return store::stop;
  }

  interface Cache {
    AutoCloseable start() throws Exception;
  }

  /**
   * Heap used after GC with the cache started minus before; the cache is stopped afterwards. Logs
   * how long the start took (the informer's initial list and sync).
   */
  private static long heapOf(String what, Cache cache, int expected) throws Exception {
    var before = usedAfterGc();
    var t0 = System.nanoTime();
    var started = cache.start();
    log(
        "%s cache listed and synced %d Findings in %d ms (load %.1f)",
        what, expected, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), load());
    try {
      return usedAfterGc() - before;
    } finally {
      started.close();
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    var mem = ManagementFactory.getMemoryMXBean();
    var best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
      best = Math.min(best, mem.getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  private static long kubectlMillis(KubeCluster cluster, String[] args, int expected) {
    var times = new ArrayList<Long>();
    var runs = Integer.getInteger("parapet.bench.kubectlRuns", 3);
    for (int i = 0; i < runs; i++) {
      var t0 = System.nanoTime();
      var result = cluster.kubectl(args);
      var ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      if (result.exit() != 0) {
        throw new IllegalStateException("kubectl failed: " + result.stderr());
      }
      var lines = result.stdout().lines().count();
      if (lines < expected) {
        throw new IllegalStateException("kubectl listed " + lines + " lines, expected " + expected);
      }
      times.add(ms);
    }
    times.sort(null);
    return times.get(times.size() / 2);
  }

  private static int count(KubernetesClient admin) {
    var n = 0;
    String next = null;
    do {
      var page =
          admin
              .resources(Finding.class)
              .inNamespace(NS)
              .list(
                  new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                      .withLimit(5000L)
                      .withContinue(next)
                      .build());
      n += page.getItems().size();
      next = page.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    return n;
  }

  /**
   * Creates Findings {@code from}..{@code to}-1 (create, then status), {@link #THREADS} at once
   * over the client's one connection pool; batches of 1000 are planned as the engine plans them and
   * handed to the pool through a bounded queue (the submitter runs a create itself when it is
   * full), so at most a few batches are in memory. A create that finds the Finding there (a rerun)
   * still writes its status; a request that fails is retried up to 5 times, and what still fails is
   * counted and reported (the kubectl figures then check the count).
   */
  private static int createUpTo(KubernetesClient admin, CloudAccount account, int from, int to)
      throws InterruptedException {
    var pool =
        new java.util.concurrent.ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.SECONDS,
            new java.util.concurrent.ArrayBlockingQueue<>(THREADS * 8),
            new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());
    var created = new AtomicInteger();
    var failed = new AtomicInteger();
    var lastError = new java.util.concurrent.atomic.AtomicReference<String>();
    var ts = Instant.now().toString();
    var batch = 1000;
    for (int start = from; start < to; start += batch) {
      var desired = desired(account, start, Math.min(batch, to - start));
      for (var d : desired) {
        pool.execute(
            () -> {
              var f = FindingPlanner.toFinding(d);
              try {
                var c = retried(() -> createOrGet(admin, f));
                c.setStatus(new FindingStatus(FindingStatus.State.OPEN, ts, ts, null, null));
                retried(() -> admin.resource(c).updateStatus());
                created.incrementAndGet();
              } catch (KubernetesClientException e) {
                failed.incrementAndGet();
                lastError.set(e.getCode() + " " + e.getMessage());
              }
            });
      }
    }
    pool.shutdown();
    if (!pool.awaitTermination(3, TimeUnit.HOURS)) {
      throw new IllegalStateException("creating Findings did not finish within 3 hours");
    }
    if (failed.get() > 0) {
      log("%d Findings could not be created or given a status; last: %s", failed, lastError);
    }
    return created.get();
  }

  private static Finding createOrGet(KubernetesClient admin, Finding f) {
    try {
      return admin.resource(f).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return admin
          .resources(Finding.class)
          .inNamespace(f.getMetadata().getNamespace())
          .withName(f.getMetadata().getName())
          .get();
    }
  }

  private static <T> T retried(java.util.function.Supplier<T> call) {
    for (int attempt = 0; ; attempt++) {
      try {
        return call.get();
      } catch (KubernetesClientException e) {
        if (attempt >= 5 || (e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 429)) {
          throw e;
        }
        KubeCluster.sleep(200L << attempt);
      }
    }
  }

  /** {@code n} realistic FAIL results from {@code offset}, over the engine's real rules. */
  private static List<DesiredFinding> desired(CloudAccount account, int offset, int n) {
    List<RuleMetadata> rules =
        dev.parapet.operator.aws.rules.RuleRegistry.defaults().rules().stream()
            .map(r -> r.metadata())
            .toList();
    var failures = new ArrayList<CheckResult>();
    for (int i = offset; i < offset + n; i++) {
      var rule = rules.get(i % rules.size());
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
}
