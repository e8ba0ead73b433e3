package dev.parapet.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/**
 * Leader election (a Lease) when {@code parapet.leader-election.enabled}; the chart enables it in
 * the controller role so that only one replica reconciles. QOSDK activates it in the prod profile.
 */
public class LeaderElectionProducer {

  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(ParapetConfig config) {
    var le = config.leaderElection();
    if (!le.enabled()) {
      return null;
    }
    return new LeaderElectionConfiguration(le.leaseName(), le.leaseNamespace().orElse(null));
  }
}
