package dev.parapet.operator.cloudaccount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.operator.config.ParapetConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * After a controller restart the new process has no in-memory schedule: {@link
 * ScanCoordinator#due(CloudAccount, String, Instant)} decides from each account's persisted status,
 * on a fake clock (the reconciler passes {@code now}; nothing here waits). The decisions are the
 * coordinator's own; the scan pool they feed is simulated below (a FIFO queue in front of {@code
 * concurrency} slots, as the coordinator's fixed thread pool is), to show what the spread does to
 * the queue.
 */
class RestartSpreadTest {
  private static final Instant RESTART = Instant.parse("2026-12-07T12:00:00Z");
  private static final Duration INTERVAL = Duration.ofHours(6);
  private static final Duration JITTER = Duration.ofMinutes(5);
  private static final int CONCURRENCY = 4;
  private static final String FINGERPRINT = "1/policy";

  private final ScanCoordinator coordinator =
      new ScanCoordinator(null, null, null, null, null, null, null, config(), null, null, null);

  @Test
  void fiveHundredOverdueAccountsStartSpreadOverTheWindowNeverAllAtOnce() {
    var accounts = new ArrayList<CloudAccount>();
    for (int i = 0; i < 500; i++) {
      // Last scanned 7 h before the restart: all overdue (interval 6 h).
      accounts.add(account("acct-" + i, RESTART.minus(Duration.ofHours(7)), Condition.TRUE));
    }
    // The reconciler looks at every account once a second of fake time (it reschedules itself for
    // the due time; a second's granularity is coarser than that).
    var dueAt = new HashMap<String, Instant>();
    var simulated = new FifoPool(CONCURRENCY, Duration.ofSeconds(2));
    var peakQueue = 0;
    for (var t = RESTART; t.isBefore(RESTART.plus(JITTER).plusSeconds(60)); t = t.plusSeconds(1)) {
      for (var a : accounts) {
        var key = ScanCoordinator.key(a);
        if (!dueAt.containsKey(key) && coordinator.due(a, FINGERPRINT, t)) {
          dueAt.put(key, t);
          simulated.submit(key, t);
        }
      }
      simulated.advance(t);
      peakQueue = Math.max(peakQueue, simulated.queued());
    }
    simulated.drain();

    assertThat(dueAt).as("every overdue account is due within the window").hasSize(500);
    // Within the window: a stable offset in [0, 5 min), seen by the next once-a-second look.
    assertThat(dueAt.values())
        .allSatisfy(t -> assertThat(t).isBeforeOrEqualTo(RESTART.plus(JITTER)));
    var atRestart = dueAt.values().stream().filter(RESTART::equals).count();
    assertThat(atRestart).as("due at the restart itself").isLessThanOrEqualTo(10);
    // Ten slots of 30 s: about 50 each, none crowded.
    var slots = new int[10];
    dueAt
        .values()
        .forEach(t -> slots[(int) Math.min(9, Duration.between(RESTART, t).toSeconds() / 30)]++);
    for (int s = 0; s < 10; s++) {
      assertThat(slots[s]).as("accounts due in slot %d", s).isBetween(25, 100);
    }
    // The simulated pool: never more than `concurrency` scans at once (its definition), and the
    // queue stays short because starts arrive spread: without the spread all 500 would queue at
    // the restart (peak 496).
    assertThat(simulated.peakRunning).isLessThanOrEqualTo(CONCURRENCY);
    assertThat(peakQueue).as("scans waiting at the worst second").isLessThan(25);
    assertThat(simulated.longestWait)
        .as("longest wait in the queue")
        .isLessThan(Duration.ofMinutes(1));
    System.out.printf(
        "[restart-spread] 500 overdue accounts: %d due at the restart, per 30 s slot %s, peak"
            + " queue %d, longest queue wait %s%n",
        atRestart, java.util.Arrays.toString(slots), peakQueue, simulated.longestWait);
  }

  @Test
  void anAccountScannedWithinItsIntervalIsDueWhenItWouldHaveBeenNotAtTheRestart() {
    var finished = RESTART.minus(Duration.ofHours(1));
    var a = account("recent", finished, Condition.TRUE);
    assertThat(coordinator.due(a, FINGERPRINT, RESTART)).isFalse();
    var due = coordinator.firstDue(a, FINGERPRINT, RESTART);
    var jitter = ScanSchedule.jitter("ns/recent", INTERVAL, JITTER);
    assertThat(due).isEqualTo(finished.plus(INTERVAL).plus(jitter));
    assertThat(coordinator.due(a, FINGERPRINT, due.minusSeconds(1))).isFalse();
    assertThat(coordinator.due(a, FINGERPRINT, due)).isTrue();
  }

  @Test
  void aFailedScanIsRetriedAfterTheShortRetryNotTheInterval() {
    var finished = RESTART.minus(Duration.ofMinutes(2));
    var a = account("failing", finished, Condition.FALSE);
    var due = coordinator.firstDue(a, FINGERPRINT, RESTART);
    assertThat(due).isAfter(RESTART).isBefore(finished.plus(Duration.ofMinutes(6)));
  }

  @Test
  void neverScannedAChangedSpecOrAQueuedFirstScanAreDueAtOnce() {
    var fresh = account("fresh", null, null);
    assertThat(coordinator.due(fresh, FINGERPRINT, RESTART)).isTrue();

    var changed = account("changed", RESTART.minus(Duration.ofHours(1)), Condition.TRUE);
    changed.getMetadata().setGeneration(2L); // the status is of generation 1
    assertThat(coordinator.due(changed, "2/policy", RESTART)).isTrue();

    var queued = account("queued", RESTART.minus(Duration.ofHours(1)), Condition.UNKNOWN);
    assertThat(coordinator.due(queued, FINGERPRINT, RESTART)).isTrue();
  }

  @Test
  void aPolicyChangeWhileDeferredMakesTheAccountDueAtOnce() {
    var a = account("deferred", RESTART.minus(Duration.ofHours(1)), Condition.TRUE);
    assertThat(coordinator.due(a, FINGERPRINT, RESTART)).isFalse();
    assertThat(coordinator.due(a, FINGERPRINT, RESTART.plusSeconds(30))).isFalse();
    assertThat(coordinator.due(a, "1/another-policy", RESTART.plusSeconds(31))).isTrue();
  }

  @Test
  void theFirstAskAnchorsTheSpreadAndLaterAsksDoNotMoveIt() {
    // An overdue account whose spread offset is well inside the window (stable per name).
    var name = "anchored-0";
    for (int i = 1; ScanSchedule.spread("ns/" + name, INTERVAL, JITTER).toSeconds() < 60; i++) {
      name = "anchored-" + i;
    }
    var a = account(name, RESTART.minus(Duration.ofHours(7)), Condition.TRUE);
    var due = coordinator.firstDue(a, FINGERPRINT, RESTART);
    assertThat(due).isEqualTo(RESTART.plus(ScanSchedule.spread("ns/" + name, INTERVAL, JITTER)));
    // Asked again a minute later: still anchored at the restart, not re-spread from the later ask.
    assertThat(coordinator.firstDue(a, FINGERPRINT, RESTART.plusSeconds(60))).isEqualTo(due);
    assertThat(coordinator.due(a, FINGERPRINT, due.minusSeconds(1))).isFalse();
    assertThat(coordinator.due(a, FINGERPRINT, due)).isTrue();
  }

  @Test
  void anAnchorMadeByFirstDueKeepsThatAsksFingerprint() {
    var a = account("asked-first", RESTART.minus(Duration.ofHours(1)), Condition.TRUE);
    coordinator.firstDue(a, FINGERPRINT, RESTART);
    assertThat(coordinator.due(a, FINGERPRINT, RESTART.plusSeconds(1))).isFalse();
    assertThat(coordinator.due(a, "1/another-policy", RESTART.plusSeconds(2))).isTrue();
  }

  @Test
  void withJitterOffOverdueAccountsAreDueAtOnce() {
    var window = Duration.ZERO;
    var persisted =
        java.util.Optional.of(
            new ScanSchedule.Persisted(RESTART.minus(Duration.ofHours(7)), false));
    assertThat(
            ScanSchedule.firstDue(
                "ns/a", persisted, INTERVAL, Duration.ofMinutes(5), window, RESTART))
        .isEqualTo(RESTART);
  }

  /**
   * A CloudAccount of generation 1 whose status says its last scan finished at {@code finished}.
   */
  private static CloudAccount account(String name, Instant finished, String ready) {
    var a = new CloudAccount();
    a.setMetadata(
        new ObjectMetaBuilder().withNamespace("ns").withName(name).withGeneration(1L).build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS,
            "111122223333",
            List.of("eu-west-1"),
            null,
            new CloudAccountSpec.Scan("6h", null, null),
            null));
    if (finished != null) {
      var conditions =
          List.of(
              new Condition(
                  StatusAggregator.READY,
                  ready,
                  switch (ready) {
                    case Condition.TRUE -> "Scanned";
                    case Condition.FALSE -> "CredentialsUnavailable";
                    default -> "Scanning";
                  },
                  "m",
                  finished.toString(),
                  1L));
      a.setStatus(
          new CloudAccountStatus(
              1L,
              conditions,
              null,
              new CloudAccountStatus.LastScan(
                  finished.minusSeconds(30).toString(),
                  finished.toString(),
                  30.0,
                  10L,
                  5L,
                  null,
                  null),
              finished.plus(INTERVAL).toString(),
              null,
              null));
    }
    return a;
  }

  /** Scans queued FIFO in front of a fixed number of slots, each scan taking {@code duration}. */
  private static final class FifoPool {
    private final int slots;
    private final Duration duration;
    private final ArrayDeque<Map.Entry<String, Instant>> queue = new ArrayDeque<>();
    private final List<Instant> running = new ArrayList<>();
    int peakRunning;
    Duration longestWait = Duration.ZERO;
    private Instant now = RESTART;

    FifoPool(int slots, Duration duration) {
      this.slots = slots;
      this.duration = duration;
    }

    void submit(String key, Instant at) {
      queue.add(Map.entry(key, at));
    }

    void advance(Instant t) {
      now = t;
      running.removeIf(end -> !end.isAfter(t));
      while (running.size() < slots && !queue.isEmpty()) {
        var next = queue.poll();
        var wait = Duration.between(next.getValue(), t);
        longestWait = wait.compareTo(longestWait) > 0 ? wait : longestWait;
        running.add(t.plus(duration));
        peakRunning = Math.max(peakRunning, running.size());
      }
    }

    int queued() {
      return queue.size();
    }

    void drain() {
      while (!queue.isEmpty()) {
        advance(now.plusSeconds(1));
      }
    }
  }

  /** The scan settings of application.properties; the rest of the config is never read here. */
  private static ParapetConfig config() {
    var scan =
        (ParapetConfig.Scan)
            Proxy.newProxyInstance(
                ParapetConfig.Scan.class.getClassLoader(),
                new Class<?>[] {ParapetConfig.Scan.class},
                (p, m, args) ->
                    switch (m.getName()) {
                      case "concurrency" -> CONCURRENCY;
                      case "defaultInterval" -> INTERVAL;
                      case "minInterval" -> Duration.ofMinutes(1);
                      case "jitter" -> JITTER;
                      default -> throw new UnsupportedOperationException(m.getName());
                    });
    return (ParapetConfig)
        Proxy.newProxyInstance(
            ParapetConfig.class.getClassLoader(),
            new Class<?>[] {ParapetConfig.class},
            (p, m, args) -> {
              if (m.getName().equals("scan")) {
                return scan;
              }
              throw new UnsupportedOperationException(m.getName());
            });
  }
}
