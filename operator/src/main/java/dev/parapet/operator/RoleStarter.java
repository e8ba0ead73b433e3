package dev.parapet.operator;

import dev.parapet.operator.config.Leadership;
import dev.parapet.operator.config.LeaseRelease;
import dev.parapet.operator.config.ParapetConfig;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Starts the controllers unless the role is webhook. QOSDK's own start is switched off at build
 * time ({@code quarkus.operator-sdk.start-operator=false}) because that setting cannot change at
 * runtime. With leader election active the cluster audit is tied to this replica's leadership
 * ({@link Leadership}); without it (dev, tests, demo) the audit starts at once.
 */
@Singleton
public class RoleStarter {

  private static final Logger LOG = Logger.getLogger(RoleStarter.class);

  @Inject ParapetConfig config;
  @Inject Operator operator;
  @Inject dev.parapet.operator.audit.ClusterAudit audit;
  @Inject Leadership leadership;
  @Inject dev.parapet.operator.reports.ReportWriter reports;
  @Inject dev.parapet.operator.shard.Shards shards;

  /** Whether this replica led when shutdown began (before the elector's own stop callbacks). */
  private volatile boolean wasLeading;

  void onStart(@Observes StartupEvent event) {
    if (!config.role().runsController()) {
      LOG.info("role webhook: controllers, scans and the cluster audit are not started");
      return;
    }
    LOG.infof(
        "role %s: starting %d controllers",
        config.role(), operator.getRegisteredControllersNumber());
    operator.start();
    // Sharded (parapet.shards.count > 1): the shard Leases and the singleton Lease; the audit and
    // the report writer below then follow the singleton Lease through Leadership.
    shards.start();
    if (config.reports().enabled()) {
      // Reports follow the Findings the leader writes; a standby writes none.
      if (leaderElectionActive()) {
        leadership.whileLeading(reports::start, reports::stop);
      } else {
        reports.start();
      }
    }
    if (!config.audit().enabled()) {
      return;
    }
    if (leaderElectionActive()) {
      // Like the reconcilers, the audit (informers, periodic runs, Finding writes) only runs on the
      // replica holding the Lease; it stops when the Lease is lost.
      LOG.info("leader election on: the cluster audit runs while this replica is the leader");
      leadership.whileLeading(audit::start, audit::stopAuditing);
    } else {
      audit.start();
    }
  }

  /**
   * After QOSDK has stopped the operator (its shutdown observer runs at priority 3123), gives the
   * Lease up if this replica held it, so a standby takes over within its retry period instead of
   * waiting out the whole lease. JOSDK builds its elector with release-on-cancel off.
   */
  void onStop(@Observes @Priority(3200) ShutdownEvent event) {
    if (config.role().runsController()
        && !shards.active()
        && leaderElectionActive()
        && wasLeading) {
      LeaseRelease.release(config.leaderElection());
    }
  }

  void onStopping(@Observes @Priority(3000) ShutdownEvent event) {
    wasLeading = leadership.leading();
    // Before QOSDK stops the operator (and its client): shards are dropped, then their Leases,
    // the singleton Lease and the membership Lease are given up, so the others take over at once.
    if (config.role().runsController()) {
      shards.stop();
    }
  }

  /**
   * True when a Lease decides who leads: JOSDK's election (enabled and activated for the current
   * profile), or, when sharded, the singleton Lease {@code shard.Shards} holds.
   */
  private boolean leaderElectionActive() {
    return shards.active()
        || operator.getConfigurationService().getLeaderElectionConfiguration().isPresent();
  }
}
