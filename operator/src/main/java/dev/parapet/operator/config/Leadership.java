package dev.parapet.operator.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Whether this replica holds the leader Lease, as reported by JOSDK's leader election callbacks
 * ({@link #callbacks()} goes into the {@code LeaderElectionConfiguration}), and the work that must
 * only run while it does (the cluster audit). JOSDK itself only gates its reconcilers; anything
 * started outside them registers here with {@link #whileLeading}.
 *
 * <p>Start and stop actions run in order on one thread of their own, never on the elector's thread
 * (which must keep renewing the Lease).
 */
@Singleton
public class Leadership {

  private static final Logger LOG = Logger.getLogger(Leadership.class);

  private final ExecutorService transitions =
      Executors.newSingleThreadExecutor(
          r -> {
            var t = new Thread(r, "parapet-leadership");
            t.setDaemon(true);
            return t;
          });
  private boolean leading;
  private final java.util.List<Runnable[]> registrations = new java.util.ArrayList<>();

  /** The callbacks to hand to JOSDK's leader election. */
  public LeaderCallbacks callbacks() {
    return new LeaderCallbacks(
        this::startedLeading, this::stoppedLeading, id -> LOG.infof("leader is now %s", id));
  }

  /**
   * Runs {@code start} whenever this replica becomes leader (at once if it already is) and {@code
   * stop} when it stops being leader. Each registration (the cluster audit, the report writer) runs
   * in registration order.
   */
  public synchronized void whileLeading(Runnable start, Runnable stop) {
    registrations.add(new Runnable[] {start, stop});
    if (leading) {
      submit("start", start);
    }
  }

  /** True while this replica holds the Lease. */
  public synchronized boolean leading() {
    return leading;
  }

  /** Called by the leader elector when this replica acquires the Lease. */
  public synchronized void startedLeading() {
    if (leading) {
      return;
    }
    leading = true;
    LOG.info("this replica is now the leader");
    registrations.forEach(r -> submit("start", r[0]));
  }

  /** Called by the leader elector when this replica loses (or gives up) the Lease. */
  public synchronized void stoppedLeading() {
    if (!leading) {
      return;
    }
    leading = false;
    LOG.info("this replica stopped leading");
    registrations.forEach(r -> submit("stop", r[1]));
  }

  private void submit(String what, Runnable action) {
    transitions.execute(
        () -> {
          try {
            action.run();
          } catch (RuntimeException e) {
            LOG.warnf("leadership %s action failed: %s", what, e.toString());
          }
        });
  }

  @PreDestroy
  void shutdown() {
    transitions.shutdownNow();
  }
}
