package dev.parapet.operator.audit;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.findings.DesiredFinding;
import dev.parapet.operator.findings.FindingNames;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.findings.Redactor;
import dev.parapet.operator.metrics.ParapetMetrics;
import dev.parapet.operator.policy.ExceptionUsage;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.scan.RuleCatalog;
import dev.parapet.webhook.Violation;
import dev.parapet.webhook.WorkloadEvaluator;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.budget.Deadline;
import dev.parapet.webhook.budget.NotFullyChecked;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.policy.InvalidPolicyException;
import dev.parapet.webhook.policy.PolicySet;
import dev.parapet.webhook.policy.PosturePolicyMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Audits existing workloads (pods and pod templates, Services, ConfigMaps) with the admission rules
 * and keeps {@code source: kubernetes} Findings in each workload's namespace, with the same
 * lifecycle as cloud findings. Runs every {@code parapet.audit.interval}, shortly after a workload
 * or policy changes, and a second after the earliest expiry of an exception that waived a violation
 * (when that comes before the next periodic run), so the finding reopens on time.
 */
@ApplicationScoped
public class ClusterAudit {

  private static final Logger LOG = Logger.getLogger(ClusterAudit.class);
  private static final long DEBOUNCE_MS = 1000;

  /**
   * Time one object's evaluation may take in the audit: the webhook's default budget, so that an
   * object the webhook could not check is not reported clean here either.
   */
  static final long REVIEW_BUDGET_MILLIS = 2000;

  private final KubernetesClient client;
  private final RuleCatalog catalog;
  private final FindingWriter writer;
  private final FindingStore store;
  private final ParapetMetrics metrics;
  private final ParapetConfig config;
  private final ExceptionUsage usage;
  private final List<SharedIndexInformer<? extends HasMetadata>> informers =
      new CopyOnWriteArrayList<>();
  private final AtomicBoolean pending = new AtomicBoolean();
  private SharedIndexInformer<Namespace> namespaces;
  private SharedIndexInformer<PosturePolicy> policies;
  private volatile ScheduledExecutorService executor;
  private ScheduledFuture<?> expiryRun;
  private Instant expiryRunAt;

  @Inject
  public ClusterAudit(
      KubernetesClient client,
      RuleCatalog catalog,
      FindingWriter writer,
      FindingStore store,
      ParapetMetrics metrics,
      ParapetConfig config,
      ExceptionUsage usage) {
    this.client = client;
    this.catalog = catalog;
    this.writer = writer;
    this.store = store;
    this.metrics = metrics;
    this.config = config;
    this.usage = usage;
  }

  /**
   * Starts the informers and the periodic audit (controller role only; with leader election, each
   * time this replica becomes leader). Does nothing when already running.
   */
  public synchronized void start() {
    if (executor != null) {
      return;
    }
    // The executor is published only once every informer has synced: an audit over a partial set
    // of informers would resolve the findings of the kinds not yet listed.
    try {
      namespaces = client.namespaces().runnableInformer(0);
      namespaces.start().toCompletableFuture().join();
      // A policy's spec (a new generation) changes what is audited; its status does not.
      policies =
          watch(
              client.resources(PosturePolicy.class).runnableInformer(0),
              (a, b) ->
                  !java.util.Objects.equals(
                      a.getMetadata().getGeneration(), b.getMetadata().getGeneration()));
      addInformers();
    } catch (RuntimeException e) {
      informers.forEach(SharedIndexInformer::stop);
      informers.clear();
      if (namespaces != null) {
        namespaces.stop();
        namespaces = null;
      }
      if (policies != null) {
        policies.stop();
        policies = null;
      }
      throw e;
    }
    var ex =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "parapet-audit");
              t.setDaemon(true);
              return t;
            });
    executor = ex;
    var interval = config.audit().interval().toMillis();
    ex.scheduleWithFixedDelay(this::runSafely, DEBOUNCE_MS, interval, TimeUnit.MILLISECONDS);
    LOG.info("cluster audit started");
  }

  private void addInformers() {
    add(client.pods().inAnyNamespace().runnableInformer(0));
    add(client.apps().deployments().inAnyNamespace().runnableInformer(0));
    add(client.apps().statefulSets().inAnyNamespace().runnableInformer(0));
    add(client.apps().daemonSets().inAnyNamespace().runnableInformer(0));
    add(client.apps().replicaSets().inAnyNamespace().runnableInformer(0));
    add(client.batch().v1().jobs().inAnyNamespace().runnableInformer(0));
    add(client.batch().v1().cronjobs().inAnyNamespace().runnableInformer(0));
    add(client.services().inAnyNamespace().runnableInformer(0));
    add(client.configMaps().inAnyNamespace().runnableInformer(0));
  }

  /** True while the informers and the periodic audit run. */
  public synchronized boolean running() {
    return executor != null;
  }

  /**
   * Stops the periodic audit and the informers (leadership lost, or shutdown); {@link #start()}
   * starts them again. Findings already written stay; the next leader takes them over.
   */
  public synchronized void stopAuditing() {
    if (executor == null) {
      return;
    }
    executor.shutdownNow();
    executor = null;
    expiryRun = null;
    expiryRunAt = null;
    pending.set(false);
    informers.forEach(SharedIndexInformer::stop);
    informers.clear();
    namespaces.stop();
    namespaces = null;
    policies.stop();
    policies = null;
    LOG.info("cluster audit stopped");
  }

  void stop(@Observes ShutdownEvent event) {
    stopAuditing();
  }

  private <T extends HasMetadata> void add(SharedIndexInformer<T> informer) {
    informers.add(
        watch(
            informer,
            (a, b) ->
                !java.util.Objects.equals(
                    a.getMetadata().getResourceVersion(), b.getMetadata().getResourceVersion())));
  }

  /** Starts the informer; every add, delete and {@code changed} update requests an audit. */
  private <T extends HasMetadata> SharedIndexInformer<T> watch(
      SharedIndexInformer<T> informer, java.util.function.BiPredicate<T, T> changed) {
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            requestRun();
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            if (changed.test(oldObj, newObj)) {
              requestRun();
            }
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            requestRun();
          }
        });
    informer.start().toCompletableFuture().join();
    return informer;
  }

  /** Coalesces bursts of changes into one audit a second later. */
  public void requestRun() {
    var ex = executor;
    if (ex != null && pending.compareAndSet(false, true)) {
      ex.schedule(this::runSafely, DEBOUNCE_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void runSafely() {
    pending.set(false);
    if (executor == null) {
      return; // stopped meanwhile (leadership lost)
    }
    try {
      run();
    } catch (RuntimeException e) {
      metrics.reconcileFailed("audit");
      LOG.warnf("cluster audit failed: %s", Redactor.redact(String.valueOf(e.getMessage())));
    }
  }

  /**
   * One full audit: evaluate every workload and sync the kubernetes findings.
   *
   * @throws IllegalStateException when the audit is not running (its informers are stopped, so an
   *     audit would see no workloads and resolve every finding)
   */
  public FindingWriter.SyncResult run() {
    List<SharedIndexInformer<? extends HasMetadata>> sources;
    SharedIndexInformer<Namespace> nsInformer;
    SharedIndexInformer<PosturePolicy> policyInformer;
    synchronized (this) {
      if (executor == null) {
        throw new IllegalStateException("the cluster audit is not running");
      }
      sources = List.copyOf(informers);
      nsInformer = namespaces;
      policyInformer = policies;
    }
    var now = Instant.now();
    var set = policySet(policyInformer);
    var excluded = config.audit().excludedNamespaces();
    var desired = new ArrayList<DesiredFinding>();
    var usedExceptions = new HashSet<String>();
    Instant nextExpiry = null;
    for (var informer : sources) {
      for (var obj : informer.getStore().list()) {
        var ns = obj.getMetadata().getNamespace();
        if (ns == null || excluded.contains(ns) || auditedThroughOwner(obj)) {
          continue;
        }
        var selected = set.select(ns, namespaceLabels(nsInformer, ns), null);
        if (selected.isEmpty()) {
          continue;
        }
        var review = WorkloadReview.of(obj, Deadline.startingNow(REVIEW_BUDGET_MILLIS));
        // An object not checked within the budget gets a not-fully-checked Finding, never none.
        var violations = PolicySet.evaluate(review, selected, now);
        for (var v : violations) {
          desired.add(desired(obj, v));
          var w = v.exceptedBy();
          if (w != null
              && w.expiresAt() != null
              && (nextExpiry == null || w.expiresAt().isBefore(nextExpiry))) {
            nextExpiry = w.expiresAt();
          }
        }
        recordExceptionUse(review, selected, violations, now, usedExceptions);
      }
    }
    var result =
        writer.sync(
            FindingStore.AUDIT_SCOPE, desired, f -> false, config.findings().maxPerAccount());
    metrics.refreshFindings(store.all());
    usage.recordWorkloads(usedExceptions);
    scheduleExpiryRun(nextExpiry);
    if (result.writes() > 0) {
      LOG.infof("cluster audit: %d violations, %d writes", desired.size(), result.writes());
    }
    return result;
  }

  /**
   * Schedules one more audit a second after {@code expiry} (the earliest expiry of an exception
   * that waived a violation in the audit that just ran), so that the violation's finding reopens
   * then rather than at the next periodic audit. Nothing is scheduled when the periodic audit comes
   * first (it schedules again itself). A later audit replaces the schedule.
   */
  private synchronized void scheduleExpiryRun(Instant expiry) {
    var ex = executor;
    if (ex == null) {
      return;
    }
    if (expiry != null && expiry.equals(expiryRunAt) && expiryRun != null && !expiryRun.isDone()) {
      return; // already scheduled for this expiry
    }
    if (expiryRun != null) {
      expiryRun.cancel(false);
      expiryRun = null;
      expiryRunAt = null;
    }
    if (expiry == null) {
      return;
    }
    var delay = Duration.between(Instant.now(), expiry).plusSeconds(1);
    if (delay.compareTo(config.audit().interval()) >= 0) {
      return;
    }
    expiryRunAt = expiry;
    expiryRun = ex.schedule(this::runSafely, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    LOG.debugf("cluster audit: an exception expires at %s; auditing again then", expiry);
  }

  /** When the audit runs again for an exception's expiry, if it is scheduled to. */
  synchronized java.util.Optional<Instant> expiryRunAt() {
    return expiryRun == null || expiryRun.isDone()
        ? java.util.Optional.empty()
        : java.util.Optional.ofNullable(expiryRunAt);
  }

  /**
   * Adds {@code policy/exception} for every exception that waived a violation of this object (under
   * each selected policy on its own, as the webhook decides: the first active exception of that
   * policy matching the rule and object).
   */
  private static void recordExceptionUse(
      WorkloadReview review,
      List<AdmissionPolicy> selected,
      List<Violation> merged,
      Instant now,
      Set<String> used) {
    for (var policy : selected) {
      if (policy.exceptions().isEmpty()) {
        continue;
      }
      List<Violation> violations;
      try {
        violations =
            selected.size() == 1 ? merged : WorkloadEvaluator.evaluate(review, policy, now);
      } catch (NotFullyChecked e) {
        return; // out of time: no exception is known to be in use for this object
      }
      for (var v : violations) {
        if (v.exceptedBy() != null) {
          used.add(policy.name() + "/" + v.exceptedBy().name());
        }
      }
    }
  }

  private PolicySet policySet(SharedIndexInformer<PosturePolicy> policyInformer) {
    var list = new ArrayList<AdmissionPolicy>();
    for (var p :
        PolicyMerger.accepted(policyInformer.getStore().list(), catalog.rules(), Instant.now())) {
      try {
        PosturePolicyMapper.map(p).ifPresent(list::add);
      } catch (InvalidPolicyException e) {
        LOG.debugf("policy %s skipped by the audit: %s", p.getMetadata().getName(), e.getMessage());
      }
    }
    return PolicySet.of(list);
  }

  private static Map<String, String> namespaceLabels(
      SharedIndexInformer<Namespace> nsInformer, String ns) {
    var n = nsInformer.getStore().getByKey(ns);
    return n == null || n.getMetadata().getLabels() == null
        ? Map.of()
        : n.getMetadata().getLabels();
  }

  /**
   * Controller owners whose own audit already covers an object, by the object's kind: a Pod is
   * audited through its ReplicaSet, Job, StatefulSet or DaemonSet (their pod template), a
   * ReplicaSet through its Deployment, a Job through its CronJob. Objects controlled by anything
   * else (another operator's custom resource, an Argo Rollout) are audited themselves.
   */
  private static final Map<String, Set<String>> AUDITED_OWNERS =
      Map.of(
          "Pod",
          Set.of("apps/ReplicaSet", "batch/Job", "apps/StatefulSet", "apps/DaemonSet"),
          "ReplicaSet",
          Set.of("apps/Deployment"),
          "Job",
          Set.of("batch/CronJob"));

  /** True when the object's controller is a workload whose audit already covers the object. */
  static boolean auditedThroughOwner(HasMetadata obj) {
    var owners = AUDITED_OWNERS.get(obj.getKind());
    var refs = obj.getMetadata().getOwnerReferences();
    if (owners == null || refs == null) {
      return false;
    }
    for (var r : refs) {
      if (Boolean.TRUE.equals(r.getController())
          && r.getApiVersion() != null
          && owners.contains(group(r.getApiVersion()) + "/" + r.getKind())) {
        return true;
      }
    }
    return false;
  }

  private static String group(String apiVersion) {
    var slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The Finding the audit writes for one violation (the CLI's check reuses it). */
  public static DesiredFinding desired(HasMetadata obj, Violation v) {
    var meta = v.rule();
    var kind = obj.getKind();
    var labels = new HashMap<String, String>();
    labels.put(Finding.LABEL_SEVERITY, meta.severity().wireValue());
    labels.put(Finding.LABEL_RULE, FindingNames.labelValue(meta.id()));
    labels.put(Finding.LABEL_SOURCE, FindingSpec.Source.KUBERNETES.wireValue());
    var spec =
        new FindingSpec(
            FindingSpec.Source.KUBERNETES,
            new FindingSpec.Rule(
                meta.id(), meta.titleEn(), meta.titleJa(), meta.severity(), List.of()),
            new FindingSpec.Resource(
                obj.getApiVersion() + " " + kind,
                kind + "/" + obj.getMetadata().getName(),
                null,
                null,
                null,
                obj.getApiVersion(),
                kind,
                obj.getMetadata().getNamespace(),
                obj.getMetadata().getName()),
            Redactor.redact(v.message()),
            new FindingSpec.Remediation(meta.remediationEn(), meta.remediationJa(), null));
    var owner =
        new OwnerReferenceBuilder()
            .withApiVersion(obj.getApiVersion())
            .withKind(kind)
            .withName(obj.getMetadata().getName())
            .withUid(obj.getMetadata().getUid())
            .withBlockOwnerDeletion(false)
            .build();
    var suppressed =
        v.exceptedBy() == null
            ? null
            : new FindingStatus.SuppressedBy(
                v.policy(),
                v.exceptedBy().name(),
                v.exceptedBy().reason(),
                v.exceptedBy().expiresAt() == null ? null : v.exceptedBy().expiresAt().toString());
    return new DesiredFinding(
        obj.getMetadata().getNamespace(),
        FindingNames.name(
            meta.id(),
            kind
                + "/"
                + obj.getMetadata().getNamespace()
                + "/"
                + obj.getMetadata().getName()
                + "#"
                + v.key()),
        labels,
        spec,
        owner,
        suppressed);
  }
}
