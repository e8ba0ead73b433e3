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
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 3 on the real API server (kube-apiserver + etcd on 127.0.0.1), outside the default
 * run ({@code -Pbench}, see docs/benchmarks.md): creates realistic Findings (the engine's rule
 * metadata, English and Japanese texts, a status) up to each size in {@code parapet.bench.sizes}
 * (default 10000,100000), and at each size measures
 *
 * <ul>
 *   <li>the heap held by the Finding cache after GC: the informer as FindingStore had it before
 *       (whole Findings, one unpaged list) and {@link FindingStore} now (compact projections); heap
 *       used after three {@code System.gc()} with the cache started minus before it;
 *   <li>the wall time of {@code kubectl get findings -A} (default, chunks of 500), with {@code -o
 *       name}, and unchunked ({@code --chunk-size=0}); median of {@code parapet.bench.kubectlRuns}
 *       (3);
 *   <li>the Findings' bytes in etcd as the API server reports them ({@code
 *       apiserver_storage_size_bytes} is not served by every version; the average JSON size is).
 * </ul>
 *
 * Prints the figures and writes them to {@code target/bench/finding-store.txt}. Nothing asserted on
 * time or size.
 */
@Tag("bench")
class FindingStoreScaleBench {

  private static final String NS = "bench-light";
  private static final List<String> report = new ArrayList<>();

  @Test
  void heapAndListLatencyAt10kAnd100k() throws Exception {
    var cluster = KubeCluster.shared();
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
    for (var size : sizes) {
      var t0 = System.nanoTime();
      var created = createUpTo(admin, account, existing, size);
      existing = size;
      log(
          "created %d Findings (with status) up to %d in %d s",
          created, size, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
      var whole = heapOf(() -> wholeInformer(admin), size);
      var compact = heapOf(() -> compactStore(admin), size);
      log(
          "heap of the cache at %d Findings: whole %d bytes (%d per Finding), compact %d bytes (%d per Finding)",
          size, whole, whole / size, compact, compact / size);
      results.add(new long[] {size, whole, compact});
      for (var args :
          List.of(
              new String[] {"get", "findings", "-A"},
              new String[] {"get", "findings", "-A", "-o", "name"},
              new String[] {"get", "findings", "-A", "--chunk-size=0"})) {
        log(
            "kubectl %s at %d Findings: median %d ms",
            String.join(" ", args), size, kubectlMillis(cluster, args, size));
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
          "slope %d -> %d Findings: whole %.0f bytes per Finding, compact %.0f bytes per Finding",
          a[0],
          b[0],
          (b[1] - a[1]) / (double) (b[0] - a[0]),
          (b[2] - a[2]) / (double) (b[0] - a[0]));
    }
    log(
        "load average at end: %.1f",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    var out = String.join("\n", report);
    System.out.println(
        "\n===== Finding store at scale =====\n" + out + "\n==================================");
    Files.createDirectories(Path.of("target", "bench"));
    Files.writeString(Path.of("target", "bench", "finding-store.txt"), out + "\n");
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

  /** Heap used after GC with the cache started minus before; the cache is stopped afterwards. */
  private static long heapOf(Cache cache, int expected) throws Exception {
    var before = usedAfterGc();
    var started = cache.start();
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

  /** Creates Findings {@code from}..{@code to}-1 (create, then status), 8 requests in flight. */
  private static int createUpTo(KubernetesClient admin, CloudAccount account, int from, int to)
      throws InterruptedException {
    var pool = Executors.newFixedThreadPool(8);
    var created = new AtomicInteger();
    var ts = Instant.now().toString();
    var batch = 1000;
    for (int start = from; start < to; start += batch) {
      var desired = desired(account, start, Math.min(batch, to - start));
      for (var d : desired) {
        pool.submit(
            () -> {
              var f = FindingPlanner.toFinding(d);
              for (int attempt = 0; ; attempt++) {
                try {
                  var c = admin.resource(f).create();
                  c.setStatus(new FindingStatus(FindingStatus.State.OPEN, ts, ts, null, null));
                  admin.resource(c).updateStatus();
                  created.incrementAndGet();
                  return;
                } catch (KubernetesClientException e) {
                  if (e.getCode() == 409 || attempt >= 5) {
                    return; // exists already (a rerun): counted by the list
                  }
                }
              }
            });
      }
    }
    pool.shutdown();
    pool.awaitTermination(3, TimeUnit.HOURS);
    return created.get();
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
