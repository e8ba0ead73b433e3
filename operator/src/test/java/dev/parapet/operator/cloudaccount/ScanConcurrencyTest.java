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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * parapet.scan.concurrency=2 with ten accounts: never more than two scans run at once, every
 * account is scanned, and scans start in the order they were queued (FIFO: none starves).
 */
@QuarkusTest
@TestProfile(ScanConcurrencyTest.TwoAtOnce.class)
@WithKubernetesTestServer(crud = true)
class ScanConcurrencyTest {

  public static class TwoAtOnce extends ScriptedScannerProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      var overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("parapet.scan.concurrency", "2");
      return overrides;
    }

    @Override
    public String getConfigProfile() {
      return "test";
    }
  }

  static final String NS = "many-accounts";

  @Inject KubernetesClient client;
  @Inject ScriptedScanner scanner;

  @Test
  void neverMoreThanTwoScansAtOnceAndAllTenFinish() throws InterruptedException {
    Crds.apply(client);
    var current = new AtomicInteger();
    var peak = new AtomicInteger();
    var started = new ConcurrentLinkedQueue<String>();
    var release = new CountDownLatch(1);
    var names = new ArrayList<String>();
    for (int i = 0; i < 10; i++) {
      var name = "acct-" + i;
      names.add(name);
      scanner.script(
          name,
          in -> {
            var now = current.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            started.add(in.name());
            try {
              // The first scans hold their slots until the test has queued every account.
              release.await(30, TimeUnit.SECONDS);
              Thread.sleep(50);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              current.decrementAndGet();
            }
            return ScriptedScanner.outcome(in, List.of(), Set.of(), List.of());
          });
    }
    for (var name : names) {
      var account = new CloudAccount();
      account.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
      account.setSpec(
          new CloudAccountSpec(
              CloudAccountSpec.Provider.AWS,
              String.format("%012d", 100000000000L + names.indexOf(name)),
              List.of("eu-west-1"),
              null,
              new CloudAccountSpec.Scan("6h", null, null),
              null));
      client.resource(account).create();
    }
    // Every account reconciled and queued behind the two running scans.
    await().atMost(Duration.ofSeconds(30)).until(() -> started.size() == 2);
    Thread.sleep(500);
    assertThat(started).as("only two slots while they are held").hasSize(2);
    release.countDown();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> names.stream().allMatch(n -> scanner.calls(n) >= 1));
    assertThat(peak.get()).as("scans running at once").isEqualTo(2);
    assertThat(started).containsExactlyInAnyOrderElementsOf(names);
  }
}
