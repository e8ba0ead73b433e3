package dev.parapet.operator.paths;

import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.eks.Clusters;
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
 * scan recorded. It also keeps the EKS Pod Identity associations of the clusters each scan listed
 * (the {@code Clusters} dataset, collected when an EKS rule is enabled). Each new record tells the
 * listeners (the cluster audit, which runs the join).
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

  /**
   * One EKS Pod Identity association of a cluster a scan listed: which ServiceAccount (by namespace
   * and name) it gives which role.
   */
  public record PodIdentityLink(
      String accountId,
      String region,
      String cluster,
      String associationId,
      String namespace,
      String serviceAccount,
      Fact<String> roleArn) {}

  private final Map<String, AccountIam> latest = new ConcurrentHashMap<>();
  // account -> region -> the Pod Identity associations of the region's clusters (latest scan).
  private final Map<String, Map<String, List<PodIdentityLink>>> podIdentity =
      new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Records what a scan collected (the engine's inventory listener). */
  public void record(Inventory inventory) {
    var podIdentityChanged = recordPodIdentity(inventory);
    var key = new Inventory.Key(AuthorizationDetails.class, Datasets.GLOBAL);
    if (!inventory.facts().containsKey(key)) {
      // not collected by this scan: what an earlier scan recorded stays
      if (podIdentityChanged) {
        listeners.forEach(Runnable::run);
      }
      return;
    }
    Fact<AuthorizationDetails> fact = inventory.global(AuthorizationDetails.class);
    latest.put(
        inventory.accountId(),
        new AccountIam(inventory.accountId(), inventory.collectedAt(), fact));
    listeners.forEach(Runnable::run);
  }

  /**
   * Records the Pod Identity associations of each region's EKS clusters the scan listed; a region
   * whose cluster list is unknown, or not collected, keeps what an earlier scan recorded. True when
   * something was recorded.
   */
  private boolean recordPodIdentity(Inventory inventory) {
    var recorded = false;
    for (var e : inventory.facts().entrySet()) {
      if (e.getKey().type() != Clusters.class || !(e.getValue() instanceof Known<?> known)) {
        continue;
      }
      var links = new java.util.ArrayList<PodIdentityLink>();
      for (var c : ((Clusters) known.value()).clusters()) {
        for (var a : c.podIdentityAssociations()) {
          links.add(
              new PodIdentityLink(
                  inventory.accountId(),
                  e.getKey().region(),
                  c.name(),
                  a.associationId(),
                  a.namespace(),
                  a.serviceAccount(),
                  a.roleArn()));
        }
      }
      podIdentity
          .computeIfAbsent(inventory.accountId(), k -> new ConcurrentHashMap<>())
          .put(e.getKey().region(), List.copyOf(links));
      recorded = true;
    }
    return recorded;
  }

  /**
   * The Pod Identity associations, over every account and region scanned, that name a
   * ServiceAccount.
   */
  public List<PodIdentityLink> podIdentity(String namespace, String serviceAccount) {
    return podIdentity.values().stream()
        .flatMap(byRegion -> byRegion.values().stream())
        .flatMap(List::stream)
        .filter(l -> namespace.equals(l.namespace()) && serviceAccount.equals(l.serviceAccount()))
        .sorted(
            java.util.Comparator.comparing(PodIdentityLink::accountId)
                .thenComparing(PodIdentityLink::region)
                .thenComparing(PodIdentityLink::cluster)
                .thenComparing(PodIdentityLink::associationId))
        .toList();
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
