package dev.parapet.operator.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.findings.FindingWriterRestartTest;
import dev.parapet.testing.CrudApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attack-path join's input on every audit: the open Findings, read from the cache's compact
 * projections ({@code FindingStore.forEachCompact}) instead of {@code store.all()} (a whole Finding
 * built per cached Finding). Same join input either way (asserted); what each read allocates and
 * takes on {@value #N} cached Findings is printed (the time is not asserted).
 */
class AttackPathOpenFindingsCostTest {

  private static final int N = 2_000;
  private static final int ROUNDS = 5;

  private CrudApiServer api;
  private KubernetesClient client;
  private FindingStore store;

  @BeforeEach
  void start() {
    api = CrudApiServer.start();
    client = api.client();
    store = api.store();
    var writer =
        new FindingWriter(client, store, FindingWriter.Options.unfenced(Duration.ofDays(7)));
    var desired = FindingWriterRestartTest.desired(N);
    assertThat(
            writer
                .sync(FindingStore.accountScope("team-a", "acct"), desired, f -> false, N)
                .failedWrites())
        .isZero();
    // The informer (not only the writer's overlay) holds them all.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              var n = new AtomicInteger();
              store.forEachSpecAndStatus((spec, status) -> n.incrementAndGet());
              return n.get() == N;
            });
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void theProjectionWalkGivesTheSameOpenFindingsForAFractionOfTheAllocation() {
    List<AttackPaths.OpenFinding> fromWalk = AttackPaths.open(store::forEachCompact);
    List<AttackPaths.OpenFinding> fromAll = AttackPaths.open(store.all());
    assertThat(fromWalk).hasSize(N);
    assertThat(new HashSet<>(fromWalk)).isEqualTo(new HashSet<>(fromAll));

    var all = measure(() -> AttackPaths.open(store.all()));
    var walk = measure(() -> AttackPaths.open(store::forEachCompact));
    System.out.printf(
        "[attack-path open findings] %d cached Findings, best of %d: store.all() %d bytes %.2f ms;"
            + " compact walk %d bytes %.2f ms%n",
        N, ROUNDS, all.bytes, all.millis, walk.bytes, walk.millis);
    // Allocation, not time: a whole Finding (metadata maps, lists) per cached Finding against one
    // small record per open Finding.
    assertThat(walk.bytes).isLessThan(all.bytes / 4);
  }

  private record Cost(long bytes, double millis) {}

  /** The least allocation and time of {@value #ROUNDS} rounds after one warm-up, this thread. */
  private static Cost measure(Supplier<List<AttackPaths.OpenFinding>> read) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    var id = Thread.currentThread().getId();
    assertThat(read.get()).hasSize(N);
    var bytes = Long.MAX_VALUE;
    var nanos = Long.MAX_VALUE;
    for (int i = 0; i < ROUNDS; i++) {
      var before = threads.getThreadAllocatedBytes(id);
      var t0 = System.nanoTime();
      var out = read.get();
      var t1 = System.nanoTime();
      var after = threads.getThreadAllocatedBytes(id);
      assertThat(out).hasSize(N);
      bytes = Math.min(bytes, after - before);
      nanos = Math.min(nanos, t1 - t0);
    }
    return new Cost(bytes, nanos / 1e6);
  }
}
