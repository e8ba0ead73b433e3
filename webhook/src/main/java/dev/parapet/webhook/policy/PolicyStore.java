package dev.parapet.webhook.policy;

import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.webhook.HttpsWarmup;
import dev.parapet.webhook.Warmup;
import dev.parapet.webhook.WebhookConfig;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The policies the webhook decides with, held in memory: from the policy file, or from informers
 * over PosturePolicies and Namespaces (no API call per request). Whenever no PosturePolicy has an
 * admission section, the safe default applies. Until the informers have synced, {@link #synced()}
 * is false and the webhook reports not ready (the operator's {@code WebhookReadiness}), so the
 * apiserver does not send it requests it would answer with the default.
 */
@ApplicationScoped
public class PolicyStore {
  private static final Logger LOG = Logger.getLogger(PolicyStore.class);
  static final String NAME_LABEL = "kubernetes.io/metadata.name";

  private final WebhookConfig config;
  private final Instance<KubernetesClient> client;
  private volatile PolicySet current = PolicySet.defaults();
  private volatile boolean synced;
  private final Map<String, AdmissionPolicy> lastGood = new ConcurrentHashMap<>();
  private SharedIndexInformer<PosturePolicy> policyInformer;
  private SharedIndexInformer<Namespace> namespaceInformer;

  private final Instance<HttpsWarmup> httpsWarmup;

  /** Without the HTTPS warm-up (tests and tools). */
  public PolicyStore(WebhookConfig config, Instance<KubernetesClient> client) {
    this(config, client, null);
  }

  @jakarta.inject.Inject
  public PolicyStore(
      WebhookConfig config, Instance<KubernetesClient> client, Instance<HttpsWarmup> httpsWarmup) {
    this.config = config;
    this.client = client;
    this.httpsWarmup = httpsWarmup;
  }

  void onStart(@Observes StartupEvent ev) {
    if (config.policyFile().isPresent() || config.watchCluster()) {
      warmUp();
    }
    if (config.policyFile().isPresent()) {
      var file = Path.of(config.policyFile().get());
      var loaded = PolicyFile.load(file);
      current = PolicySet.of(loaded);
      synced = true;
      LOG.infof(
          "admission policies from %s: %s",
          file,
          loaded.isEmpty()
              ? "none (safe default applies)"
              : loaded.stream().map(AdmissionPolicy::name).toList());
    } else if (config.watchCluster()) {
      startInformers(client.get());
    } else {
      synced = true;
      LOG.info("admission policies: no policy file and cluster watch off; safe default applies");
    }
  }

  /**
   * Runs synthetic reviews through the whole decision path before anything can report this store
   * synced (so before the webhook reports ready): the first real request then finds the classes
   * loaded and the detectors compiled. Only where this process serves {@code /validate} from real
   * policies (a policy file or the cluster watch).
   */
  private void warmUp() {
    long t0 = System.nanoTime();
    var r = Warmup.run(Warmup.ROUNDS);
    LOG.infof(
        "admission path warmed up in %d ms (%d rounds, %s, %d violations per round)",
        (System.nanoTime() - t0) / 1_000_000, Warmup.ROUNDS, r.decisions(), r.violations());
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (policyInformer != null) {
      policyInformer.close();
    }
    if (namespaceInformer != null) {
      namespaceInformer.close();
    }
  }

  void startInformers(KubernetesClient kc) {
    namespaceInformer = kc.namespaces().runnableInformer(0);
    var namespacesStarted = namespaceInformer.start();
    policyInformer = kc.resources(PosturePolicy.class).runnableInformer(0);
    policyInformer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(PosturePolicy obj) {
            rebuild();
          }

          @Override
          public void onUpdate(PosturePolicy oldObj, PosturePolicy newObj) {
            rebuild();
          }

          @Override
          public void onDelete(PosturePolicy obj, boolean deletedFinalStateUnknown) {
            rebuild();
          }
        });
    // Synced (and so ready, see the operator's WebhookReadiness) only once both caches hold the
    // cluster's state: namespace labels decide which policies select a namespace.
    CompletableFuture.allOf(
            namespacesStarted.toCompletableFuture(), policyInformer.start().toCompletableFuture())
        .whenComplete(
            (v, err) -> {
              if (err != null) {
                LOG.errorf(
                    "PosturePolicy/Namespace informer failed to start (%s); the webhook stays"
                        + " not ready",
                    err.getMessage());
              } else {
                rebuild();
                synced = true;
              }
            });
  }

  /** Re-maps every cached PosturePolicy; an invalid one keeps its last valid version. */
  synchronized void rebuild() {
    var seen = new HashMap<String, AdmissionPolicy>();
    var list = new ArrayList<AdmissionPolicy>();
    for (var pp : policyInformer.getStore().list()) {
      var name = pp.getMetadata().getName();
      try {
        PosturePolicyMapper.map(pp).ifPresent(p -> seen.put(name, p));
      } catch (InvalidPolicyException e) {
        var keep = lastGood.get(name);
        LOG.errorf(
            "PosturePolicy %s is invalid at %s; %s",
            name,
            e.getMessage(),
            keep == null ? "ignored" : "its last valid version stays in force");
        if (keep != null) {
          seen.put(name, keep);
        }
      }
    }
    lastGood.clear();
    lastGood.putAll(seen);
    seen.keySet().stream().sorted().forEach(n -> list.add(seen.get(n)));
    current = PolicySet.of(list);
  }

  public PolicySet current() {
    return current;
  }

  /** Replaces the policies in force (tests, benchmarks, the CLI). */
  public void replace(PolicySet set) {
    current = set;
    synced = true;
  }

  public boolean synced() {
    return synced
        && (httpsWarmup == null || !httpsWarmup.isResolvable() || httpsWarmup.get().isDone());
  }

  /**
   * Labels of a namespace from the informer cache. Without a cluster (or before the namespace is
   * cached) only the label Kubernetes sets on every namespace, {@code kubernetes.io/metadata.name},
   * is known.
   */
  public Map<String, String> namespaceLabels(String namespace) {
    if (namespaceInformer != null) {
      var ns = namespaceInformer.getStore().getByKey(namespace);
      if (ns != null && ns.getMetadata().getLabels() != null) {
        var labels = new HashMap<>(ns.getMetadata().getLabels());
        labels.putIfAbsent(NAME_LABEL, namespace);
        return labels;
      }
    }
    return Map.of(NAME_LABEL, namespace);
  }
}
