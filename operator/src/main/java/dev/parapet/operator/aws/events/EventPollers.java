package dev.parapet.operator.aws.events;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs the pollers of all accounts on a bounded pool: each poller's {@link EventPoller#cycle()} is
 * one task that reschedules itself, so with more accounts than threads the pollers take turns (a
 * long poll holds a thread for up to its wait time) instead of each owning a thread. One poller per
 * account key; replacing or stopping one lets its running cycle finish without deleting messages it
 * has not handled.
 */
public final class EventPollers implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EventPollers.class);

  private final ScheduledThreadPoolExecutor pool;
  private final Map<String, Running> pollers = new ConcurrentHashMap<>();

  private record Running(EventPoller poller, String fingerprint) {}

  public EventPollers(int threads) {
    var n = new AtomicInteger();
    this.pool =
        new ScheduledThreadPoolExecutor(
            Math.max(1, threads),
            r -> {
              var t = new Thread(r, "parapet-events-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.pool.setRemoveOnCancelPolicy(true);
  }

  /**
   * Runs {@code poller} for its account unless one with the same {@code fingerprint} (queue,
   * credentials, settings) already runs; a different one replaces it.
   */
  public synchronized void ensure(EventPoller poller, String fingerprint) {
    var key = poller.account().key();
    var current = pollers.get(key);
    if (current != null && current.fingerprint().equals(fingerprint)) {
      return;
    }
    if (current != null) {
      current.poller().stop();
    }
    pollers.put(key, new Running(poller, fingerprint));
    schedule(poller, Duration.ZERO);
    LOG.infof("event poller of %s started", key);
  }

  /** Whether a poller runs for the account with this fingerprint. */
  public boolean running(String key, String fingerprint) {
    var r = pollers.get(key);
    return r != null && r.fingerprint().equals(fingerprint);
  }

  /** The account's poller status, if it has a poller. */
  public Optional<PollerStatus> status(String key) {
    return Optional.ofNullable(pollers.get(key)).map(r -> r.poller().status());
  }

  /** Stops the account's poller (the CloudAccount is gone or no longer names a queue). */
  public synchronized void stop(String key) {
    var r = pollers.remove(key);
    if (r != null) {
      r.poller().stop();
      LOG.infof("event poller of %s stopped", key);
    }
  }

  /** Stops every poller (leadership lost); unhandled messages stay in their queues. */
  public synchronized void stopAll() {
    pollers.values().forEach(r -> r.poller().stop());
    pollers.clear();
  }

  public int size() {
    return pollers.size();
  }

  private void schedule(EventPoller poller, Duration delay) {
    if (poller.stopped() || pool.isShutdown()) {
      return;
    }
    pool.schedule(() -> run(poller), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run(EventPoller poller) {
    if (poller.stopped()) {
      return;
    }
    Duration next;
    try {
      next = poller.cycle();
    } catch (RuntimeException e) {
      LOG.errorf(e, "event poller of %s failed unexpectedly", poller.account().key());
      next = Duration.ofSeconds(10);
    }
    schedule(poller, next);
  }

  @Override
  public void close() {
    stopAll();
    pool.shutdownNow();
  }
}
