package dev.parapet.operator.policy;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.operator.scan.RuleCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Caches PosturePolicies and CloudAccounts for cross-object questions (which policies apply to an
 * account, which accounts a policy matches) and tells listeners when either changes.
 */
@ApplicationScoped
public class PolicyIndex {

  private final KubernetesClient client;
  private final RuleCatalog catalog;
  private final List<Runnable> policyListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> accountListeners = new CopyOnWriteArrayList<>();
  private volatile SharedIndexInformer<PosturePolicy> policies;
  private volatile SharedIndexInformer<CloudAccount> accounts;

  @Inject
  public PolicyIndex(KubernetesClient client, RuleCatalog catalog) {
    this.client = client;
    this.catalog = catalog;
  }

  /** Called when any policy changes (spec, not status). */
  public void onPolicyChange(Runnable r) {
    policyListeners.add(r);
  }

  /** Called when an account appears, disappears or changes labels. */
  public void onAccountChange(Runnable r) {
    accountListeners.add(r);
  }

  public synchronized void start() {
    if (policies != null) {
      return;
    }
    var p = client.resources(PosturePolicy.class).runnableInformer(0);
    p.addEventHandler(handler(policyListeners, false));
    var a = client.resources(CloudAccount.class).inAnyNamespace().runnableInformer(0);
    a.addEventHandler(handler(accountListeners, true));
    p.start().toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).join();
    a.start().toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).join();
    policies = p;
    accounts = a;
  }

  public synchronized void stop() {
    if (policies != null) {
      policies.stop();
      accounts.stop();
      policies = null;
      accounts = null;
    }
  }

  public List<PosturePolicy> allPolicies() {
    start();
    return policies.getStore().list();
  }

  public List<CloudAccount> allAccounts() {
    start();
    return accounts.getStore().list();
  }

  /** Policies that are valid now and not marked Accepted=False for their current generation. */
  public List<PosturePolicy> acceptedPolicies(Instant now) {
    var validator = new PolicyValidator(catalog.rules());
    return allPolicies().stream()
        .filter(p -> validator.validate(p.getSpec(), now, false).isEmpty())
        .filter(p -> !rejected(p))
        .toList();
  }

  /**
   * The merged policy for an account, narrowed to the account's service scope. Callers check {@code
   * scope().valid()} before scanning with it.
   */
  public EffectivePolicy effectiveFor(CloudAccount account, Instant now) {
    return PolicyMerger.merge(
            acceptedPolicies(now), account.getMetadata().getLabels(), catalog.rules(), now)
        .within(ServiceScope.of(account.getSpec()), catalog.rules());
  }

  private static boolean rejected(PosturePolicy p) {
    var s = p.getStatus();
    if (s == null || s.conditions() == null) {
      return false;
    }
    return s.conditions().stream()
        .anyMatch(
            c ->
                "Accepted".equals(c.type())
                    && Condition.FALSE.equals(c.status())
                    && Objects.equals(c.observedGeneration(), p.getMetadata().getGeneration()));
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(
      List<Runnable> listeners, boolean labelsOnly) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        listeners.forEach(Runnable::run);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        var changed =
            labelsOnly
                ? !Objects.equals(
                    oldObj.getMetadata().getLabels(), newObj.getMetadata().getLabels())
                : !Objects.equals(
                    oldObj.getMetadata().getGeneration(), newObj.getMetadata().getGeneration());
        if (changed) {
          listeners.forEach(Runnable::run);
        }
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        listeners.forEach(Runnable::run);
      }
    };
  }
}
