package dev.parapet.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/**
 * Leader election (a Lease) when {@code parapet.leader-election.enabled}; the chart enables it in
 * the controller role so that only one replica reconciles. QOSDK activates it in the prod profile
 * ({@code quarkus.operator-sdk.activate-leader-election-for-profiles}). The callbacks tell {@link
 * Leadership} when this replica starts and stops leading, so that the cluster audit (which is not a
 * JOSDK reconciler) only runs on the leader. With {@code parapet.shards.count} above 1 JOSDK's
 * election is off and {@code shard.Shards} runs the Leases instead.
 */
public class LeaderElectionProducer {

  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(ParapetConfig config, Leadership leadership) {
    var le = config.leaderElection();
    if (!le.enabled()) {
      return null;
    }
    if (config.shards().count() > 1) {
      // Sharded (issue 19): every replica runs the reconcilers; shard.Shards holds the shard
      // Leases and the singleton Lease itself, so JOSDK's one-Lease election stays off.
      return null;
    }
    return new LeaderElectionConfiguration(
        le.leaseName(),
        le.leaseNamespace().orElse(null),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        le.identity().filter(id -> !id.isBlank()).orElse(null),
        leadership.callbacks(),
        le.exitOnStopLeading());
  }
}
