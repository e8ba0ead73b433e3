package dev.parapet.operator.cloudaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.testing.Crds;
import dev.parapet.testing.ScriptedScanner;
import dev.parapet.testing.ScriptedScannerProfile;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * No account starves (concurrency 2): a slow account holds one slot for the whole test, and an
 * account whose scan fails every time is due again every two seconds; every other account still
 * starts on the remaining slot within a bounded time, and the failing account's retries queue
 * behind the accounts already waiting (FIFO) instead of jumping ahead of them again and again.
 */
@QuarkusTest
@TestProfile(ScanFairnessTest.TwoSlots.class)
@WithKubernetesTestServer(crud = true)
class ScanFairnessTest {

  public static class TwoSlots extends ScriptedScannerProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      var overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("parapet.scan.concurrency", "2");
      overrides.put("parapet.scan.min-interval", "1s");
      return overrides;
    }

    @Override
    public String getConfigProfile() {
      return "test";
    }
  }

  static final String NS = "fairness";
  static final int WAITING = 6;
  static final Duration SCAN = Duration.ofMillis(700);

  @Inject KubernetesClient client;
  @Inject ScriptedScanner scanner;

  @Test
  void aSlowAndAFailingAccountStarveNoOne() throws InterruptedException {
    Crds.apply(client);
    var starts = new CopyOnWriteArrayList<String>();
    var slowRelease = new CountDownLatch(1);
    scanner.script(
        "slow",
        in -> {
          starts.add(in.name());
          try {
            slowRelease.await(120, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return ScriptedScanner.outcome(in, List.of(), Set.of(), List.of());
        });
    scanner.script(
        "failing",
        in -> {
          starts.add(in.name());
          throw new IllegalStateException("the scan of this account fails every time");
        });
    var names = new ArrayList<String>();
    for (int i = 0; i < WAITING; i++) {
      var name = "fair-" + i;
      names.add(name);
      scanner.script(
          name,
          in -> {
            starts.add(in.name());
            try {
              Thread.sleep(SCAN.toMillis());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return ScriptedScanner.outcome(in, List.of(), Set.of(), List.of());
          });
    }
    try {
      create("slow", "6h", 0);
      await().atMost(Duration.ofSeconds(30)).until(() -> starts.contains("slow"));
      // The failing account first, then the others: it is always due again before they are done.
      create("failing", "2s", 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> starts.contains("failing"));
      var created = System.nanoTime();
      for (int i = 0; i < WAITING; i++) {
        create(names.get(i), "6h", 2 + i);
      }
      // Every waiting account starts, one at a time on the one free slot: bounded by their own
      // scans plus the failing account's turns, far below this limit.
      await().atMost(Duration.ofSeconds(60)).until(() -> names.stream().allMatch(starts::contains));
      var allStarted = Duration.ofNanos(System.nanoTime() - created);
      assertThat(starts).as("the slow account still holds its slot").containsOnlyOnce("slow");

      // Between two starts of the failing account, at least one waiting account started, as long
      // as any was waiting: its retries never jump the queue twice in a row.
      var sequence = List.copyOf(starts);
      var lastWaiting = names.stream().mapToInt(sequence::indexOf).max().orElseThrow();
      var previousWasFailing = false;
      var failingTurns = 0;
      for (int i = sequence.indexOf("failing") + 1; i <= lastWaiting; i++) {
        var failing = sequence.get(i).equals("failing");
        assertThat(failing && previousWasFailing)
            .as("the failing account started twice in a row while others waited: %s", sequence)
            .isFalse();
        previousWasFailing = failing;
        failingTurns += failing ? 1 : 0;
      }
      assertThat(failingTurns)
          .as("failing account's turns before the last one waiting started")
          .isLessThanOrEqualTo(WAITING);
      // It is retried all the same (every 2 s), behind the others.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> starts.stream().filter("failing"::equals).count() >= 2);
      System.out.printf(
          "[scan-fairness] concurrency 2, one slot held: %d waiting accounts all started within"
              + " %d ms; failing account's retries in between: %d; start order %s%n",
          WAITING, allStarted.toMillis(), failingTurns, List.copyOf(starts));
    } finally {
      slowRelease.countDown();
    }
  }

  private void create(String name, String interval, int index) {
    var account = new CloudAccount();
    account.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    account.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS,
            String.format("%012d", 200000000000L + index),
            List.of("eu-west-1"),
            null,
            new CloudAccountSpec.Scan(interval, null, null),
            null));
    client.resource(account).create();
  }
}
