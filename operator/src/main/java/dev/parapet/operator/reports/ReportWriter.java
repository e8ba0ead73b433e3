package dev.parapet.operator.reports;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec.Language;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.policy.ReportLanguage;
import dev.parapet.operator.scan.RuleCatalog;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Writes the reports of each namespace ({@link ReportBuilder}) when its Findings change. Informers
 * on Findings, CloudAccounts (their scan gaps) and PosturePolicies (the reporting language) mark a
 * namespace dirty; after {@code debounce} without further changes its reports are rebuilt and
 * compared by content with what the API server holds: only a report whose content differs is
 * written, surplus parts are deleted, so an unchanged rescan writes nothing. Runs on the leader
 * only ({@code RoleStarter}); a namespace left without results keeps no report.
 */
@ApplicationScoped
public class ReportWriter {

  private static final Logger LOG = Logger.getLogger(ReportWriter.class);

  /** What the writer needs from the configuration. */
  public record Settings(List<ReportFormat> formats, Duration debounce, int maxObjectBytes) {}

  private final KubernetesClient client;
  private final List<RuleMetadata> catalog;
  private final Settings settings;
  private final AtomicLong writes = new AtomicLong();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final Map<String, Language> namespaceLanguage = new ConcurrentHashMap<>();
  private ScheduledExecutorService executor;
  private final FindingStore store;
  private ResourceEventHandler<Finding> findingEvents;
  private SharedIndexInformer<CloudAccount> accounts;
  private SharedIndexInformer<PosturePolicy> policies;
  private List<ReportFormat> active = List.of();

  @Inject
  public ReportWriter(
      KubernetesClient client, FindingStore store, RuleCatalog catalog, ParapetConfig config) {
    this(
        client,
        store,
        catalog.rules(),
        new Settings(
            config.reports().formats().stream().map(ReportFormat::parse).distinct().toList(),
            config.reports().debounce(),
            config.reports().maxObjectBytes()));
  }

  public ReportWriter(
      KubernetesClient client, FindingStore store, List<RuleMetadata> catalog, Settings settings) {
    this.client = client;
    this.store = store;
    this.catalog = List.copyOf(catalog);
    this.settings = settings;
  }

  /**
   * Starts the informers and writes every namespace's reports once. Formats whose CRD is not
   * installed are left out with a warning (the chart installs them with reports.installCrds).
   */
  public synchronized void start() {
    if (executor != null) {
      return;
    }
    active = settings.formats().stream().filter(this::crdInstalled).toList();
    if (active.isEmpty()) {
      LOG.warnf(
          "reports enabled but no report CRD is installed (%s): no reports are written;"
              + " install them (helm value reports.installCrds=true) and restart",
          settings.formats().stream().map(ReportFormat::crdName).toList());
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "parapet-reports");
              t.setDaemon(true);
              return t;
            });
    policies = client.resources(PosturePolicy.class).inform(handler(p -> null), 0);
    accounts = client.resources(CloudAccount.class).inAnyNamespace().inform(handler(this::nsOf), 0);
    // The Findings come from the writer's own store (one informer, one cache of Findings).
    findingEvents = handler(this::nsOf);
    store.addEventHandler(findingEvents);
    // Namespaces that have reports but may no longer have findings: their reports go.
    for (var format : active) {
      try {
        reports(format)
            .inAnyNamespace()
            .withLabel(ReportBuilder.MANAGED_BY, ReportBuilder.MANAGER)
            .list()
            .getItems()
            .forEach(r -> dirty.add(r.getMetadata().getNamespace()));
      } catch (KubernetesClientException e) {
        LOG.warnf("could not list %s: HTTP %d", format.kind(), e.getCode());
      }
    }
    markAll();
    LOG.infof("report writer started: %s", active.stream().map(ReportFormat::kind).toList());
  }

  /** Stops the informers (leadership lost, shutdown); reports already written stay. */
  public synchronized void stop() {
    if (executor == null) {
      return;
    }
    executor.shutdownNow();
    executor = null;
    if (findingEvents != null) {
      store.removeEventHandler(findingEvents);
      findingEvents = null;
    }
    for (var inf : new SharedIndexInformer<?>[] {accounts, policies}) {
      if (inf != null) {
        inf.stop();
      }
    }
    accounts = null;
    policies = null;
  }

  @PreDestroy
  void shutdown() {
    stop();
  }

  /** Report objects created, updated or deleted since start (tests, logs). */
  public long writes() {
    return writes.get();
  }

  /** True while informers run and reports are written. */
  public synchronized boolean running() {
    return executor != null;
  }

  private String nsOf(HasMetadata o) {
    return o.getMetadata().getNamespace();
  }

  private <T extends HasMetadata> ResourceEventHandler<T> handler(
      java.util.function.Function<T, String> namespace) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        mark(namespace.apply(obj));
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        if (!Objects.equals(
            oldObj.getMetadata().getResourceVersion(), newObj.getMetadata().getResourceVersion())) {
          mark(namespace.apply(newObj));
        }
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        mark(namespace.apply(obj));
      }
    };
  }

  /** A namespace changed (null: a policy changed, which may change every namespace's language). */
  private void mark(String namespace) {
    if (namespace == null) {
      markAll();
      return;
    }
    if (dirty.add(namespace)) {
      schedule();
    }
  }

  private void markAll() {
    if (findingEvents != null) {
      dirty.addAll(store.namespaces());
    }
    var acc = accounts;
    if (acc != null) {
      acc.getStore().list().forEach(a -> dirty.add(a.getMetadata().getNamespace()));
    }
    schedule();
  }

  private synchronized void schedule() {
    if (executor == null) {
      return;
    }
    executor.schedule(this::flush, settings.debounce().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A namespace whose write failed is tried again after 30 s at the soonest. */
  private synchronized void retry(String namespace) {
    if (executor == null) {
      return;
    }
    var delay = Math.max(settings.debounce().toMillis(), 30_000);
    executor.schedule(
        () -> {
          dirty.add(namespace);
          flush();
        },
        delay,
        TimeUnit.MILLISECONDS);
  }

  /** Writes the reports of every dirty namespace; a failed namespace is retried later. */
  private void flush() {
    if (!informersSynced()) {
      schedule();
      return;
    }
    namespaceLanguage.clear();
    for (var ns : new TreeSet<>(dirty)) {
      dirty.remove(ns);
      try {
        sync(ns);
      } catch (KubernetesClientException e) {
        LOG.warnf(
            "reports of namespace %s not written: HTTP %d %s", ns, e.getCode(), e.getMessage());
        retry(ns);
      } catch (RuntimeException e) {
        LOG.warnf(e, "reports of namespace %s not written", ns);
        retry(ns);
      }
    }
  }

  private boolean informersSynced() {
    // the store's informer has synced before addEventHandler returns
    return findingEvents != null && accounts.hasSynced() && policies.hasSynced();
  }

  /** Brings the reports of one namespace up to date; returns the number of writes. */
  int sync(String namespace) {
    var nsFindings = store.fetchNamespace(namespace);
    var nsAccounts =
        accounts.getStore().list().stream()
            .filter(a -> namespace.equals(a.getMetadata().getNamespace()))
            .toList();
    var accepted = PolicyMerger.accepted(policies.getStore().list(), catalog, Instant.now());
    var gaps = gaps(nsAccounts, accepted);
    var count = 0;
    for (var format : active) {
      var desired =
          ReportBuilder.build(
              format,
              namespace,
              nsFindings,
              gaps,
              f -> languageOf(f, nsAccounts, accepted),
              settings.maxObjectBytes());
      count += apply(format, namespace, desired);
    }
    return count;
  }

  private int apply(
      ReportFormat format, String namespace, List<GenericKubernetesResource> desired) {
    var api = reports(format).inNamespace(namespace);
    var existing = new HashMap<String, GenericKubernetesResource>();
    for (var r : api.withLabel(ReportBuilder.MANAGED_BY, ReportBuilder.MANAGER).list().getItems()) {
      existing.put(r.getMetadata().getName(), r);
    }
    var count = 0;
    for (var want : desired) {
      var name = want.getMetadata().getName();
      var have = existing.remove(name);
      if (have == null) {
        api.resource(want).create();
        count++;
      } else if (!ReportBuilder.content(have).equals(ReportBuilder.content(want))) {
        var labels = new HashMap<String, String>();
        if (have.getMetadata().getLabels() != null) {
          labels.putAll(have.getMetadata().getLabels());
        }
        labels.putAll(want.getMetadata().getLabels());
        want.getMetadata().setLabels(labels);
        want.getMetadata().setAnnotations(have.getMetadata().getAnnotations());
        want.getMetadata().setResourceVersion(have.getMetadata().getResourceVersion());
        api.resource(want).update();
        count++;
      }
    }
    for (var surplus : existing.values()) {
      api.withName(surplus.getMetadata().getName()).delete();
      count++;
    }
    if (count > 0) {
      LOG.infof(
          "%s of namespace %s: %d parts, %d writes",
          format.kind(), namespace, desired.size(), count);
    }
    writes.addAndGet(count);
    return count;
  }

  /** The language of a Finding: its account's policies (cloud), its namespace's (workload). */
  private Language languageOf(
      Finding f, List<CloudAccount> nsAccounts, List<PosturePolicy> accepted) {
    var account = f.getSpec().resource() == null ? null : f.getSpec().resource().accountId();
    if (account != null) {
      for (var a : nsAccounts) {
        if (account.equals(a.getSpec().accountId())) {
          return ReportLanguage.forAccount(accepted, a.getMetadata().getLabels());
        }
      }
      return ReportLanguage.forAccount(accepted, Map.of());
    }
    var ns = f.getMetadata().getNamespace();
    return namespaceLanguage.computeIfAbsent(
        ns,
        n -> {
          var namespace = client.namespaces().withName(n).get();
          var labels =
              namespace == null ? Map.<String, String>of() : namespace.getMetadata().getLabels();
          return ReportLanguage.forNamespace(accepted, n, labels);
        });
  }

  /**
   * The rules each account's last scan could not judge: every enabled rule of a service that
   * answered with an error in a region ({@code status.lastScan.errors}).
   */
  private List<ScanGap> gaps(List<CloudAccount> nsAccounts, List<PosturePolicy> accepted) {
    var out = new ArrayList<ScanGap>();
    for (var a : nsAccounts) {
      var status = a.getStatus();
      if (status == null || status.lastScan() == null || status.lastScan().errors() == null) {
        continue;
      }
      var enabled =
          PolicyMerger.merge(accepted, a.getMetadata().getLabels(), catalog, Instant.now())
              .within(dev.parapet.operator.policy.ServiceScope.of(a.getSpec()), catalog)
              .enabledRules();
      var seen = new LinkedHashSet<String>();
      for (var e : status.lastScan().errors()) {
        for (var rule : catalog) {
          if (rule.source() != RuleMetadata.Source.AWS
              || !enabled.contains(rule.id())
              || !rule.services().contains(e.service())
              || !seen.add(rule.id() + "/" + e.region())) {
            continue;
          }
          out.add(
              new ScanGap(
                  rule,
                  a.getSpec().accountId(),
                  a.getMetadata().getName(),
                  e.service(),
                  e.region(),
                  e.reason(),
                  e.message()));
        }
      }
    }
    return out;
  }

  private io.fabric8.kubernetes.client.dsl.MixedOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      reports(ReportFormat format) {
    return client.genericKubernetesResources(
        new ResourceDefinitionContext.Builder()
            .withGroup(format.group())
            .withVersion(format.apiVersion().substring(format.group().length() + 1))
            .withKind(format.kind())
            .withPlural(format.plural())
            .withNamespaced(true)
            .build());
  }

  private boolean crdInstalled(ReportFormat format) {
    try {
      reports(format)
          .inAnyNamespace()
          .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}
