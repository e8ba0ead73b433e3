package dev.parapet.operator.audit;

import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.findings.WorkloadFindings;
import dev.parapet.operator.metrics.ParapetMetrics;
import dev.parapet.operator.paths.AttackPaths;
import dev.parapet.operator.paths.CloudIdentity;
import dev.parapet.operator.policy.ExceptionUsage;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.rbac.RbacFindings;
import dev.parapet.operator.rbac.RbacRisks;
import dev.parapet.operator.scan.RuleCatalog;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.policy.InvalidPolicyException;
import dev.parapet.webhook.policy.PolicySet;
import dev.parapet.webhook.policy.PosturePolicyMapper;
import dev.parapet.webhook.secrets.Redactor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
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
import java.util.List;
import java.util.Map;
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
 *
 * <p>The same audit judges the cluster's RBAC ({@link RbacRisks}: ClusterRoles, Roles and their
 * bindings, watched read-only) and keeps one Finding per risky grant; see {@link RbacFindings} for
 * where they live. ServiceAccounts and Ingresses are watched for the cross-plane join ({@link
 * AttackPaths}), which runs in this audit from the latest data of both planes.
 */
@ApplicationScoped
public class ClusterAudit {

  private static final Logger LOG = Logger.getLogger(ClusterAudit.class);
  private static final long DEBOUNCE_MS = 1000;

  private final KubernetesClient client;
  private final RuleCatalog catalog;
  private final FindingWriter writer;
  private final FindingStore store;
  private final ParapetMetrics metrics;
  private final ParapetConfig config;
  private final ExceptionUsage usage;
  private final CloudIdentity cloudIdentity;
  private final List<SharedIndexInformer<? extends HasMetadata>> informers =
      new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<? extends HasMetadata>> workloadInformers =
      new CopyOnWriteArrayList<>();
  private final AtomicBoolean pending = new AtomicBoolean();
  private SharedIndexInformer<Namespace> namespaces;
  private SharedIndexInformer<PosturePolicy> policies;
  private volatile RbacInformers rbac;

  /** The RBAC kinds and ServiceAccounts, kept apart from the workloads the admission rules read. */
  private record RbacInformers(
      SharedIndexInformer<ClusterRole> clusterRoles,
      SharedIndexInformer<Role> roles,
      SharedIndexInformer<ClusterRoleBinding> clusterRoleBindings,
      SharedIndexInformer<RoleBinding> roleBindings,
      SharedIndexInformer<ServiceAccount> serviceAccounts,
      SharedIndexInformer<Ingress> ingresses) {

    List<RbacRisks.Risk> risks() {
      return RbacRisks.analyze(
          clusterRoles.getStore().list(),
          roles.getStore().list(),
          clusterRoleBindings.getStore().list(),
          roleBindings.getStore().list());
    }
  }

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
      ExceptionUsage usage,
      CloudIdentity cloudIdentity) {
    this.client = client;
    this.cloudIdentity = cloudIdentity;
    // The cross-plane join runs here, from the latest data of both sides: after each cluster
    // audit, and (through this listener) after each AWS scan that collected IAM data.
    cloudIdentity.onChange(this::requestRun);
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
      rbac =
          new RbacInformers(
              add(client.rbac().clusterRoles().runnableInformer(0)),
              add(client.rbac().roles().inAnyNamespace().runnableInformer(0)),
              add(client.rbac().clusterRoleBindings().runnableInformer(0)),
              add(client.rbac().roleBindings().inAnyNamespace().runnableInformer(0)),
              add(client.serviceAccounts().inAnyNamespace().runnableInformer(0)),
              add(client.network().v1().ingresses().inAnyNamespace().runnableInformer(0)));
    } catch (RuntimeException e) {
      informers.forEach(SharedIndexInformer::stop);
      informers.clear();
      workloadInformers.clear();
      rbac = null;
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
    workloads(client.pods().inAnyNamespace().runnableInformer(0));
    workloads(client.apps().deployments().inAnyNamespace().runnableInformer(0));
    workloads(client.apps().statefulSets().inAnyNamespace().runnableInformer(0));
    workloads(client.apps().daemonSets().inAnyNamespace().runnableInformer(0));
    workloads(client.apps().replicaSets().inAnyNamespace().runnableInformer(0));
    workloads(client.batch().v1().jobs().inAnyNamespace().runnableInformer(0));
    workloads(client.batch().v1().cronjobs().inAnyNamespace().runnableInformer(0));
    workloads(client.services().inAnyNamespace().runnableInformer(0));
    workloads(client.configMaps().inAnyNamespace().runnableInformer(0));
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
    workloadInformers.clear();
    rbac = null;
    namespaces.stop();
    namespaces = null;
    policies.stop();
    policies = null;
    LOG.info("cluster audit stopped");
  }

  void stop(@Observes ShutdownEvent event) {
    stopAuditing();
  }

  /** A workload kind the admission rules audit. */
  private <T extends HasMetadata> void workloads(SharedIndexInformer<T> informer) {
    workloadInformers.add(add(informer));
  }

  /** Starts the informer (stopped with the others); every change requests an audit. */
  private <T extends HasMetadata> SharedIndexInformer<T> add(SharedIndexInformer<T> informer) {
    informers.add(informer);
    return watch(
        informer,
        (a, b) ->
            !java.util.Objects.equals(
                a.getMetadata().getResourceVersion(), b.getMetadata().getResourceVersion()));
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
    RbacInformers rbacInformers;
    synchronized (this) {
      if (executor == null) {
        throw new IllegalStateException("the cluster audit is not running");
      }
      sources = List.copyOf(workloadInformers);
      rbacInformers = rbac;
      nsInformer = namespaces;
      policyInformer = policies;
    }
    var objects = new ArrayList<HasMetadata>();
    for (var informer : sources) {
      objects.addAll(informer.getStore().list());
    }
    var computed =
        WorkloadFindings.desired(
            objects,
            policySet(policyInformer),
            ns -> namespaceLabels(nsInformer, ns),
            config.audit().excludedNamespaces(),
            Instant.now());
    var desired = new ArrayList<>(computed.findings());
    desired.addAll(
        RbacFindings.desired(
            rbacInformers.risks(), clusterNamespace(), config.audit().excludedNamespaces()));
    desired.addAll(
        AttackPaths.desired(
            new AttackPaths.ClusterSide(
                objects,
                rbacInformers.ingresses().getStore().list(),
                rbacInformers.serviceAccounts().getStore().list()),
            cloudIdentity::of,
            cloudIdentity::podIdentity,
            // the open Findings from the cache's compact projections: no whole Finding is built
            AttackPaths.open(store::forEachCompact),
            config.audit().excludedNamespaces()));
    var result =
        writer.sync(
            FindingStore.AUDIT_SCOPE, desired, f -> false, config.findings().maxPerAccount());
    metrics.refreshFindings(store::forEachSpecAndStatus);
    usage.recordWorkloads(computed.usedExceptions());
    scheduleExpiryRun(computed.nextExpiry());
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
   * Where Findings about cluster-scoped grants live: the controller's own namespace (the pod's, as
   * the client reads it; {@code default} when the client knows none).
   */
  String clusterNamespace() {
    var ns = client.getNamespace();
    return ns == null || ns.isBlank() ? "default" : ns;
  }

  private PolicySet policySet(SharedIndexInformer<PosturePolicy> policyInformer) {
    var list = new ArrayList<AdmissionPolicy>();
    for (var p :
        PolicyMerger.accepted(policyInformer.getStore().list(), catalog.rules(), Instant.now())) {
      try {
        PosturePolicyMapper.map(p).ifPresent(list::add);
      } catch (InvalidPolicyException e) {
        LOG.debugf(
            "policy %s skipped by the audit: %s",
            p.getMetadata().getName(), Redactor.redact(e.getMessage()));
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
}
