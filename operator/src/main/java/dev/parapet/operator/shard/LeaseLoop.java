package dev.parapet.operator.shard;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Contends for one Lease with Fabric8's {@code LeaderElector} for as long as it is open: a fresh
 * elector after each loss (an elector cannot be restarted), and on {@link #close()} the elector is
 * cancelled with release-on-cancel, so the Lease is handed over at once instead of expiring. The
 * callbacks may run more than once per transition (Fabric8 reports a stop both when it observes
 * another holder and when its loop ends); receivers are idempotent.
 */
final class LeaseLoop implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LeaseLoop.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private final ShardTiming timing;
  private final Runnable started;
  private final Runnable stopped;
  private final ScheduledExecutorService scheduler;
  private volatile boolean closed;
  private volatile CompletableFuture<?> current;

  /** Lease durations and the retry period. */
  record ShardTiming(
      java.time.Duration leaseDuration,
      java.time.Duration renewDeadline,
      java.time.Duration retryPeriod) {}

  LeaseLoop(
      KubernetesClient client,
      String namespace,
      String name,
      String identity,
      ShardTiming timing,
      Runnable started,
      Runnable stopped,
      ScheduledExecutorService scheduler) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
    this.timing = timing;
    this.started = started;
    this.stopped = stopped;
    this.scheduler = scheduler;
  }

  String leaseName() {
    return name;
  }

  synchronized void start() {
    if (closed) {
      return;
    }
    var config =
        new LeaderElectionConfigBuilder()
            .withName(name)
            .withLock(new LeaseLock(namespace, name, identity))
            .withLeaseDuration(timing.leaseDuration())
            .withRenewDeadline(timing.renewDeadline())
            .withRetryPeriod(timing.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(new LeaderCallbacks(started, stopped, id -> {}))
            .build();
    var future = client.leaderElector().withConfig(config).build().start();
    current = future;
    future.whenComplete(
        (v, t) -> {
          if (closed) {
            return;
          }
          // The renew deadline passed (API server unreachable, or another holder): contend again.
          LOG.infof("Lease %s lost by %s; contending again", name, identity);
          stopped.run();
          scheduler.schedule(this::start, timing.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
        });
  }

  /** Stops contending; a held Lease is released (holder cleared, one-second duration). */
  @Override
  public void close() {
    CompletableFuture<?> f;
    synchronized (this) {
      closed = true;
      f = current;
    }
    if (f != null) {
      f.cancel(true);
    }
    stopped.run();
  }
}
