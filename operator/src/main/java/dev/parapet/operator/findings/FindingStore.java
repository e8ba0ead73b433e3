package dev.parapet.operator.findings;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
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
 *
 * <p>Findings are not cached whole (issue 19 item 3): the informer keeps a compact projection of
 * each ({@link CompactFindingItemStore}: metadata without managedFields, the status, the spec's
 * source, rule id and severity and resource identity, and a hash of the whole spec). The Findings
 * that {@link #observed}, {@link #all} and the event handlers give are built from it, so their spec
 * has no message, titles, remediation, compliance or ARN. Readers that need the whole content
 * ({@link #fetchNamespace}, {@link #fetch}) read it from the API server in pages of {@value #PAGE}
 * when they need it.
 */
@ApplicationScoped
public class FindingStore {

  static final String SCOPE_INDEX = "scope";

  /** Page size of every list of Findings (the informer's and the whole-content reads). */
  static final long PAGE = 500;

  private static final long START_TIMEOUT_MINUTES = 10;

  private static final Duration OVERLAY_TTL = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private volatile SharedIndexInformer<Finding> informer;
  private volatile CompactFindingItemStore items;
  private final Map<String, Written> overlay = new ConcurrentHashMap<>();

  /** One of our own recent writes, kept as the same compact projection as the informer's. */
  private record Written(CompactFindingItemStore.Compact compact, boolean deleted, Instant at) {
    Finding finding() {
      return compact.toFinding();
    }
  }

  @Inject
  public FindingStore(KubernetesClient client) {
    this.client = client;
  }

  /** Starts the informer (idempotent) and waits until it has listed everything. */
  public synchronized void start() {
    if (informer != null) {
      return;
    }
    var inf = client.resources(Finding.class).inAnyNamespace().withLimit(PAGE).runnableInformer(0);
    var compact = new CompactFindingItemStore();
    inf.itemStore(compact);
    // Nobody looks Findings up by namespace in the cache (whole content is read from the server).
    inf.removeNamespaceIndex();
    inf.addIndexers(Map.of(SCOPE_INDEX, f -> List.of(scopeOf(f))));
    // Listing 100k Findings in pages takes minutes on a loaded machine (60 s was too short in
    // FindingStoreScaleBench); a start that times out stops its informer, so no second cache runs.
    try {
      inf.start().toCompletableFuture().orTimeout(START_TIMEOUT_MINUTES, TimeUnit.MINUTES).join();
    } catch (RuntimeException e) {
      inf.stop();
      throw e;
    }
    items = compact;
    informer = inf;
  }

  public synchronized void stop() {
    if (informer != null) {
      informer.stop();
      informer = null;
      items = null;
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
   * The whole Findings of one namespace, read from the API server in pages (the cache holds no
   * whole Finding): for readers that need their content, such as the report writer. The list is
   * held only by the caller, without managedFields. Partial: the caller still holds the whole
   * namespace at once (the report builder takes a list), so a namespace with 100k Findings costs
   * its whole content in heap while its reports are rebuilt; streaming pages into the builder would
   * bound that and is not done.
   */
  public List<Finding> fetchNamespace(String namespace) {
    return fetch(namespace, f -> true);
  }

  /**
   * The whole Findings of a CloudAccount's scope ({@link #accountScope}), read from the API server
   * in pages (Security Hub export).
   */
  public List<Finding> fetch(String accountScope) {
    var parts = accountScope.split("/", 3);
    if (parts.length != 3 || !"aws".equals(parts[0])) {
      throw new IllegalArgumentException("not a CloudAccount scope: " + accountScope);
    }
    return fetch(parts[1], null, f -> scopeOf(f).equals(accountScope));
  }

  /**
   * The whole activity Findings of a CloudAccount ({@link #activityScope}), read from the API
   * server by their category label (the activity recorder re-judges their content), or none without
   * a read when the cache holds none of that scope.
   */
  public List<Finding> fetchActivity(String activityScope) {
    var parts = activityScope.split("/", 3);
    if (parts.length != 3 || !"activity".equals(parts[0])) {
      throw new IllegalArgumentException("not an activity scope: " + activityScope);
    }
    if (observed(activityScope).isEmpty()) {
      return List.of();
    }
    return fetch(
        parts[1],
        Finding.LABEL_CATEGORY + "=" + FindingSpec.Category.ACTIVITY.wireValue(),
        f -> scopeOf(f).equals(activityScope));
  }

  private List<Finding> fetch(String namespace, java.util.function.Predicate<Finding> keep) {
    return fetch(namespace, null, keep);
  }

  private List<Finding> fetch(
      String namespace, String labelSelector, java.util.function.Predicate<Finding> keep) {
    var out = new ArrayList<Finding>();
    String next = null;
    do {
      var page =
          client
              .resources(Finding.class)
              .inNamespace(namespace)
              .list(
                  new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                      .withLimit(PAGE)
                      .withLabelSelector(labelSelector)
                      .withContinue(next)
                      .build());
      for (var f : page.getItems()) {
        if (keep.test(f)) {
          // managedFields are about a third of a Finding as served and nobody reads them here
          f.getMetadata().setManagedFields(null);
          out.add(f);
        }
      }
      next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    return out;
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

  /**
   * Every Finding in the cache, each built anew from its compact projection (a new Finding with its
   * own metadata maps per cached Finding: with 100k Findings, tens of MB of short-lived objects per
   * call). Counts over every Finding use {@link #forEachSpecAndStatus} or {@link #namespaces}.
   */
  public List<Finding> all() {
    start();
    return informer.getStore().list();
  }

  /**
   * Calls {@code action} with the (compact) spec and the status of every cached Finding, straight
   * from the projections, building no Finding: for counts over every Finding, such as the findings
   * metric after every scan. As {@link #all}, only what the informer has seen (not our own writes
   * it has not seen yet). The spec has what the projection keeps (source, rule id and severity,
   * resource identity, category); callers must not change either object (they are the cache's).
   */
  public void forEachSpecAndStatus(
      java.util.function.BiConsumer<FindingSpec, FindingStatus> action) {
    forEachCompact((key, spec, status) -> action.accept(spec, status));
  }

  /** What {@link #forEachCompact} hands over per cached Finding. */
  @FunctionalInterface
  public interface CompactVisitor {
    /** {@code key} is the Finding's {@code namespace/name}; spec and status as in the cache. */
    void visit(String key, FindingSpec spec, FindingStatus status);
  }

  /**
   * As {@link #forEachSpecAndStatus}, with each Finding's {@code namespace/name} (the cache's own
   * key string): for joins that name the Findings they use, such as the attack-path join.
   */
  public void forEachCompact(CompactVisitor visitor) {
    start();
    items.compacts().forEach(c -> visitor.visit(c.key(), c.spec(), c.status()));
  }

  /** The namespaces that have a cached Finding, without building Findings. */
  public java.util.Set<String> namespaces() {
    start();
    var out = new java.util.HashSet<String>();
    items.compacts().forEach(c -> out.add(c.namespace()));
    return out;
  }

  void wrote(Finding f) {
    var key = key(f);
    overlay.put(key, new Written(CompactFindingItemStore.compact(key, f), false, Instant.now()));
  }

  void deleted(Finding f) {
    var key = key(f);
    overlay.put(key, new Written(CompactFindingItemStore.compact(key, f), true, Instant.now()));
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

  /** The CloudAccount a scope belongs to. */
  public record AccountKey(String namespace, String name) {}

  /**
   * The CloudAccount of an {@link #accountScope} or {@link #activityScope}; empty for the other
   * scopes (the cluster audit's).
   */
  public static java.util.Optional<AccountKey> accountOf(String scope) {
    var parts = scope.split("/", 3);
    if (parts.length == 3 && (parts[0].equals("aws") || parts[0].equals("activity"))) {
      return java.util.Optional.of(new AccountKey(parts[1], parts[2]));
    }
    return java.util.Optional.empty();
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
