package dev.parapet.operator.audit;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.findings.DesiredFinding;
import dev.parapet.operator.findings.FindingNames;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.findings.Redactor;
import dev.parapet.operator.metrics.ParapetMetrics;
import dev.parapet.operator.policy.PolicyIndex;
import dev.parapet.webhook.Violation;
import dev.parapet.webhook.WorkloadReview;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Audits existing workloads (pods and pod templates, Services, ConfigMaps) with the admission rules
 * and keeps {@code source: kubernetes} Findings in each workload's namespace, with the same
 * lifecycle as cloud findings. Runs every {@code parapet.audit.interval} and shortly after a
 * workload or policy changes.
 */
@ApplicationScoped
public class ClusterAudit {

  private static final Logger LOG = Logger.getLogger(ClusterAudit.class);
  private static final long DEBOUNCE_MS = 1000;

  private final KubernetesClient client;
  private final PolicyIndex policies;
  private final FindingWriter writer;
  private final FindingStore store;
  private final ParapetMetrics metrics;
  private final ParapetConfig config;
  private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
  private final AtomicBoolean pending = new AtomicBoolean();
  private SharedIndexInformer<Namespace> namespaces;
  private ScheduledExecutorService executor;

  @Inject
  public ClusterAudit(
      KubernetesClient client,
      PolicyIndex policies,
      FindingWriter writer,
      FindingStore store,
      ParapetMetrics metrics,
      ParapetConfig config) {
    this.client = client;
    this.policies = policies;
    this.writer = writer;
    this.store = store;
    this.metrics = metrics;
    this.config = config;
  }

  /** Starts the informers and the periodic audit (controller role only). */
  public synchronized void start() {
    if (executor != null) {
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "parapet-audit");
              t.setDaemon(true);
              return t;
            });
    namespaces = client.namespaces().runnableInformer(0);
    namespaces.start().toCompletableFuture().join();
    add(client.pods().inAnyNamespace().runnableInformer(0));
    add(client.apps().deployments().inAnyNamespace().runnableInformer(0));
    add(client.apps().statefulSets().inAnyNamespace().runnableInformer(0));
    add(client.apps().daemonSets().inAnyNamespace().runnableInformer(0));
    add(client.apps().replicaSets().inAnyNamespace().runnableInformer(0));
    add(client.batch().v1().jobs().inAnyNamespace().runnableInformer(0));
    add(client.batch().v1().cronjobs().inAnyNamespace().runnableInformer(0));
    add(client.services().inAnyNamespace().runnableInformer(0));
    add(client.configMaps().inAnyNamespace().runnableInformer(0));
    policies.onPolicyChange(this::requestRun);
    var interval = config.audit().interval().toMillis();
    executor.scheduleWithFixedDelay(this::runSafely, DEBOUNCE_MS, interval, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    synchronized (this) {
      if (executor != null) {
        executor.shutdownNow();
        informers.forEach(SharedIndexInformer::stop);
        namespaces.stop();
      }
    }
  }

  private <T extends HasMetadata> void add(SharedIndexInformer<T> informer) {
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            requestRun();
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            if (!java.util.Objects.equals(
                oldObj.getMetadata().getResourceVersion(),
                newObj.getMetadata().getResourceVersion())) {
              requestRun();
            }
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            requestRun();
          }
        });
    informer.start().toCompletableFuture().join();
    informers.add(informer);
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
    try {
      run();
    } catch (RuntimeException e) {
      metrics.reconcileFailed("audit");
      LOG.warnf("cluster audit failed: %s", Redactor.redact(String.valueOf(e.getMessage())));
    }
  }

  /** One full audit: evaluate every workload and sync the kubernetes findings. */
  public FindingWriter.SyncResult run() {
    var now = Instant.now();
    var set = policySet();
    var excluded = config.audit().excludedNamespaces();
    var desired = new ArrayList<DesiredFinding>();
    for (var informer : informers) {
      for (var obj : informer.getStore().list()) {
        var ns = obj.getMetadata().getNamespace();
        if (ns == null || excluded.contains(ns) || ownedByController(obj)) {
          continue;
        }
        var selected = set.select(ns, namespaceLabels(ns), null);
        if (selected.isEmpty()) {
          continue;
        }
        for (var v : PolicySet.evaluate(WorkloadReview.of(obj), selected, now)) {
          desired.add(desired(obj, v));
        }
      }
    }
    var result =
        writer.sync(
            FindingStore.AUDIT_SCOPE, desired, f -> false, config.findings().maxPerAccount());
    metrics.refreshFindings(store.all());
    if (result.writes() > 0) {
      LOG.infof("cluster audit: %d violations, %d writes", desired.size(), result.writes());
    }
    return result;
  }

  private PolicySet policySet() {
    var list = new ArrayList<AdmissionPolicy>();
    for (var p : policies.acceptedPolicies(Instant.now())) {
      try {
        PosturePolicyMapper.map(p).ifPresent(list::add);
      } catch (InvalidPolicyException e) {
        LOG.debugf("policy %s skipped by the audit: %s", p.getMetadata().getName(), e.getMessage());
      }
    }
    return PolicySet.of(list);
  }

  private Map<String, String> namespaceLabels(String ns) {
    var n = namespaces.getStore().getByKey(ns);
    return n == null || n.getMetadata().getLabels() == null
        ? Map.of()
        : n.getMetadata().getLabels();
  }

  /** Pods of a ReplicaSet, ReplicaSets of a Deployment, Jobs of a CronJob: audit the owner once. */
  private static boolean ownedByController(HasMetadata obj) {
    var refs = obj.getMetadata().getOwnerReferences();
    return refs != null && refs.stream().anyMatch(r -> Boolean.TRUE.equals(r.getController()));
  }

  static DesiredFinding desired(HasMetadata obj, Violation v) {
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
            : new FindingStatus.SuppressedBy(v.policy(), null, v.exceptedBy(), null);
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
