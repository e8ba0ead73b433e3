package dev.parapet.operator.findings;

import dev.parapet.api.v1alpha1.Finding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The observed Findings: an informer over all namespaces, indexed by scope (the owning
 * CloudAccount, or the cluster audit). Our own writes are overlaid for a short while, so a rescan
 * right after a write does not act on a cache that has not seen the write yet.
 */
@ApplicationScoped
public class FindingStore {

  static final String SCOPE_INDEX = "scope";
  private static final Duration OVERLAY_TTL = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private volatile SharedIndexInformer<Finding> informer;
  private final Map<String, Written> overlay = new ConcurrentHashMap<>();

  private record Written(Finding finding, boolean deleted, Instant at) {}

  @Inject
  public FindingStore(KubernetesClient client) {
    this.client = client;
  }

  /** Starts the informer (idempotent) and waits until it has listed everything. */
  public synchronized void start() {
    if (informer != null) {
      return;
    }
    var inf = client.resources(Finding.class).inAnyNamespace().runnableInformer(0);
    inf.addIndexers(Map.of(SCOPE_INDEX, f -> List.of(scopeOf(f))));
    inf.start().toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).join();
    informer = inf;
  }

  public synchronized void stop() {
    if (informer != null) {
      informer.stop();
      informer = null;
    }
  }

  /** Findings of a scope as last written by us or seen by the informer. */
  public List<Finding> observed(String scope) {
    start();
    var byKey = new HashMap<String, Finding>();
    for (var f : informer.getIndexer().byIndex(SCOPE_INDEX, scope)) {
      byKey.put(key(f), f);
    }
    var now = Instant.now();
    overlay.entrySet().removeIf(e -> e.getValue().at().plus(OVERLAY_TTL).isBefore(now));
    for (var w : overlay.values()) {
      var f = w.finding();
      if (!scopeOf(f).equals(scope)) {
        continue;
      }
      var cached = byKey.get(key(f));
      if (w.deleted()) {
        if (cached != null && sameVersion(cached, f)) {
          byKey.remove(key(f));
        }
      } else if (cached == null || !sameVersion(cached, f)) {
        byKey.put(key(f), f);
      }
    }
    return new ArrayList<>(byKey.values());
  }

  /**
   * The cached Findings of one namespace, as the API server last sent them (no own-write overlay):
   * for readers that follow the informer's events, such as the report writer.
   */
  public List<Finding> inNamespace(String namespace) {
    start();
    // fabric8's informers index by namespace by default
    return informer
        .getIndexer()
        .byIndex(io.fabric8.kubernetes.client.informers.cache.Cache.NAMESPACE_INDEX, namespace);
  }

  /**
   * Tells {@code handler} of every Finding change, on this store's one informer (so the Findings
   * are cached once, whoever follows them). A handler added to a running informer is also told of
   * the Findings already cached. {@link #stop()} drops the handlers (tests only).
   */
  public void addEventHandler(ResourceEventHandler<? super Finding> handler) {
    start();
    informer.addEventHandler(handler);
  }

  public void removeEventHandler(ResourceEventHandler<? super Finding> handler) {
    var inf = informer;
    if (inf != null) {
      inf.removeEventHandler(handler);
    }
  }

  /** Every Finding in the cache (metrics). */
  public List<Finding> all() {
    start();
    return informer.getStore().list();
  }

  void wrote(Finding f) {
    overlay.put(key(f), new Written(f, false, Instant.now()));
  }

  void deleted(Finding f) {
    overlay.put(key(f), new Written(f, true, Instant.now()));
  }

  /** Forgets our own recent writes (tests that simulate a restart). */
  public void clearOverlay() {
    overlay.clear();
  }

  /** Scope of findings owned by a CloudAccount. */
  public static String accountScope(String namespace, String name) {
    return "aws/" + namespace + "/" + name;
  }

  /**
   * Scope of the activity findings of a CloudAccount: apart from its posture findings, so a scan's
   * sync never sees (and so never resolves) them.
   */
  public static String activityScope(String namespace, String name) {
    return "activity/" + namespace + "/" + name;
  }

  /** Scope of the cluster audit's findings. */
  public static final String AUDIT_SCOPE = "kubernetes";

  static String scopeOf(Finding f) {
    var spec = f.getSpec();
    if (spec != null && spec.source() == dev.parapet.api.v1alpha1.FindingSpec.Source.KUBERNETES) {
      return AUDIT_SCOPE;
    }
    var refs = f.getMetadata().getOwnerReferences();
    if (refs != null) {
      for (var r : refs) {
        if ("CloudAccount".equals(r.getKind())) {
          return spec != null && spec.ofActivity()
              ? activityScope(f.getMetadata().getNamespace(), r.getName())
              : accountScope(f.getMetadata().getNamespace(), r.getName());
        }
      }
    }
    return "orphan";
  }

  private static String key(Finding f) {
    return f.getMetadata().getNamespace() + "/" + f.getMetadata().getName();
  }

  private static boolean sameVersion(Finding a, Finding b) {
    var va = a.getMetadata().getResourceVersion();
    return va != null && va.equals(b.getMetadata().getResourceVersion());
  }
}
