package dev.parapet.operator.paths;

import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.iam.AuthorizationDetails;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The AWS side of the cross-plane join: the IAM data ({@link AuthorizationDetails}) of the latest
 * scan of each AWS account, as the scan engine collected it (known, or unknown with the error). A
 * scan whose policy enables no rule that reads IAM authorization details leaves what an earlier
 * scan recorded. Each new record tells the listeners (the cluster audit, which runs the join).
 */
@ApplicationScoped
public class CloudIdentity {

  /** One account's IAM data and when it was collected. */
  public record AccountIam(String accountId, Instant collectedAt, Fact<AuthorizationDetails> iam) {
    public boolean known() {
      return iam instanceof Known<?>;
    }

    @SuppressWarnings("unchecked")
    public AuthorizationDetails details() {
      return ((Known<AuthorizationDetails>) iam).value();
    }
  }

  private final Map<String, AccountIam> latest = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Records what a scan collected (the engine's inventory listener). */
  public void record(Inventory inventory) {
    var key = new Inventory.Key(AuthorizationDetails.class, Datasets.GLOBAL);
    if (!inventory.facts().containsKey(key)) {
      return; // not collected by this scan: what an earlier scan recorded stays
    }
    Fact<AuthorizationDetails> fact = inventory.global(AuthorizationDetails.class);
    latest.put(
        inventory.accountId(),
        new AccountIam(inventory.accountId(), inventory.collectedAt(), fact));
    listeners.forEach(Runnable::run);
  }

  /** The latest IAM data of an account, if a scan has collected it. */
  public Optional<AccountIam> of(String accountId) {
    return Optional.ofNullable(latest.get(accountId));
  }

  /** Called after each new record. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }
}
