package dev.parapet.operator.shard;

import dev.parapet.operator.config.Leadership;
import io.javaoperatorsdk.operator.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.function.BooleanSupplier;

/**
 * The operator's {@link WriteFence}: which Lease gives this replica the right to write a
 * CloudAccount's Findings.
 *
 * <ul>
 *   <li>Sharded ({@link Shards#active}): the account's shard Lease, by this replica's own account
 *       and as the API server has it ({@link Shards#stillHolds}).
 *   <li>Not sharded, JOSDK's leader election active (the chart): the leader Lease, as {@link
 *       Leadership} last heard from the elector. JOSDK calls the callbacks that set it before it
 *       starts the reconcilers and before it stops them (and exits), and the elector reports a loss
 *       at the renew deadline, shorter than the lease duration, so before a standby can acquire it.
 *   <li>No leader election (a single local process, tests): always open.
 * </ul>
 */
@ApplicationScoped
public class LeaseWriteFence implements WriteFence {

  private final Shards shards;
  private final Leadership leadership;
  private final BooleanSupplier electionActive;

  @Inject
  public LeaseWriteFence(Shards shards, Leadership leadership, Instance<Operator> operator) {
    this(
        shards,
        leadership,
        // Read when needed (as RoleStarter does): QOSDK activates the election per profile.
        () ->
            operator.isResolvable()
                && operator
                    .get()
                    .getConfigurationService()
                    .getLeaderElectionConfiguration()
                    .isPresent());
  }

  /** A fence with an explicit answer to "does JOSDK's leader election run" (tests). */
  public LeaseWriteFence(Shards shards, Leadership leadership, BooleanSupplier electionActive) {
    this.shards = shards;
    this.leadership = leadership;
    this.electionActive = electionActive;
  }

  @Override
  public boolean holds(String namespace, String name) {
    if (shards.active()) {
      return shards.stillHolds(namespace, name);
    }
    return !electionActive.getAsBoolean() || leadership.leading();
  }
}
