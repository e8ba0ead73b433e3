package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.collect.AccountProbe;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.AwsSession;
import dev.parapet.operator.aws.collect.CollectContext;
import dev.parapet.operator.aws.collect.Collector;
import dev.parapet.operator.aws.collect.CollectorRegistry;
import dev.parapet.operator.aws.collect.CollectorRunner;
import dev.parapet.operator.aws.collect.ProbeException;
import dev.parapet.operator.aws.collect.S3Collector;
import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.Ownership;
import dev.parapet.operator.aws.inventory.Unknown;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.inventory.s3.PerBucket;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.RuleRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scans one AWS account: verifies the identity, resolves regions, collects the datasets the enabled
 * rules read (bounded concurrency across regions and services), evaluates the rules and applies the
 * policy. Usable without Kubernetes; thread-safe; one instance per process.
 */
public final class ScanEngine {
  private final AwsClientFactory clients;
  private final RuleRegistry rules;
  private final CollectorRegistry collectors;
  private final Clock clock;
  // Collection threads, reused across scans: at most maxConcurrency in all, each ended after a
  // minute without work (so an engine needs no closing).
  private final ThreadPoolExecutor executor;
  private final HeldInventories held;

  public ScanEngine(AwsClientFactory clients) {
    this(clients, RuleRegistry.defaults(), CollectorRegistry.defaults(), Clock.systemUTC());
  }

  public ScanEngine(
      AwsClientFactory clients, RuleRegistry rules, CollectorRegistry collectors, Clock clock) {
    this.clients = clients;
    this.rules = rules;
    this.collectors = collectors;
    this.clock = clock;
    this.held = new HeldInventories(clock);
    var threads = clients.settings().maxConcurrency();
    this.executor =
        new ThreadPoolExecutor(
            threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads());
    this.executor.allowCoreThreadTimeOut(true);
  }

  private volatile java.util.function.Consumer<Inventory> inventoryListener = i -> {};

  /**
   * Tells {@code listener} of each scan's collected inventory, before its rules are evaluated (the
   * operator keeps the latest IAM data for the cross-plane join, {@code paths.CloudIdentity}).
   */
  public void onInventory(java.util.function.Consumer<Inventory> listener) {
    this.inventoryListener = listener;
  }

  public RuleRegistry rules() {
    return rules;
  }

  /**
   * The last inventories of the accounts whose events are polled: filled by every scan and
   * re-evaluation of an account someone {@link HeldInventories#keep}s, read by {@link #reevaluate}.
   */
  public HeldInventories held() {
    return held;
  }

  /**
   * Runs the scan. Throws {@link InvalidPolicyException}, {@link CredentialsException} or {@link
   * IdentityMismatchException} before any collection; after that, failures become UNKNOWN results
   * and errors in the report, and the scan always finishes.
   */
  public ScanReport scan(ScanRequest request) {
    return scan(request, ScanProgress.NONE);
  }

  /** As {@link #scan(ScanRequest)}, telling {@code progress} as each collection finishes. */
  public ScanReport scan(ScanRequest request, ScanProgress progress) {
    var problems = RuleSelection.validate(request.policy(), rules);
    if (!problems.isEmpty()) {
      throw new InvalidPolicyException(problems);
    }
    var enabled = RuleSelection.enabled(request.policy(), rules);
    var startedAt = clock.instant();
    try (var session =
        clients.open(request.credentials(), request.endpointOverride(), request.homeRegion())) {
      AccountProbe.Identity identity;
      List<String> regions;
      try {
        identity = AccountProbe.identity(session);
        if (!request.accountId().equals(identity.accountId())) {
          throw new IdentityMismatchException(
              request.accountId(), identity.accountId(), identity.arn());
        }
        regions =
            request.regions().isEmpty() ? AccountProbe.enabledRegions(session) : request.regions();
      } catch (ProbeException e) {
        throw new CredentialsException(e.error());
      }
      var collected =
          collect(
              session,
              identity.accountId(),
              regions,
              enabled,
              startedAt,
              progress,
              java.util.Set.of(),
              NOTHING_HELD,
              java.util.Map.of());
      var inventory = collected.inventory();
      held.record(HeldInventories.Source.of(request), inventory, collected.fresh(), Set.of());
      inventoryListener.accept(inventory);
      var evaluation = PolicyApplication.apply(enabled, inventory, request.policy());
      return report(request, identity, regions, enabled, session, inventory, evaluation, startedAt);
    }
  }

  /**
   * A targeted re-evaluation after a change event: runs only the enabled rules that read one of
   * {@code changed}, in {@code region} (and, for global datasets, once under {@code global}). It
   * collects the {@code changed} datasets, and takes every other dataset those rules read from the
   * account's held inventory ({@link #held()}) when that holds a usable value, else collects it too
   * (the class comment of {@link HeldInventories} argues why that never opens or resolves a Finding
   * a full scan would not). No identity or region probe is made (the periodic scan verifies the
   * identity; {@code identityArn} of the report is null), so an event costs the calls of the
   * collectors that ran alone. The report's {@code enabledRules} are the rules that ran: only their
   * Findings in {@link #reevaluatedScope} may be opened or resolved from it.
   */
  public ScanReport reevaluate(
      ScanRequest request, String region, java.util.Set<Class<? extends Dataset>> changed) {
    return reevaluate(request, region, changed, java.util.Set.of());
  }

  /**
   * As {@link #reevaluate(ScanRequest, String, java.util.Set)}, with the S3 per-bucket datasets
   * narrowed to {@code buckets} when not empty (no ListBuckets walk; only those buckets are read,
   * each located from the held bucket list when it names it, else with GetBucketLocation; held
   * per-bucket values are used only when known for every one of those buckets). Only Findings of
   * those buckets may then change: see {@link #reevaluatedScope(String, String, String, String,
   * java.util.Set)}.
   */
  public ScanReport reevaluate(
      ScanRequest request,
      String region,
      java.util.Set<Class<? extends Dataset>> changed,
      java.util.Set<String> buckets) {
    var problems = RuleSelection.validate(request.policy(), rules);
    if (!problems.isEmpty()) {
      throw new InvalidPolicyException(problems);
    }
    var affected =
        RuleSelection.enabled(request.policy(), rules).stream()
            .filter(r -> r.definition().allDatasets().stream().anyMatch(changed::contains))
            .toList();
    var startedAt = clock.instant();
    try (var session =
        clients.open(request.credentials(), request.endpointOverride(), request.homeRegion())) {
      var identity = new AccountProbe.Identity(request.accountId(), null);
      var regions = List.of(region);
      var source = HeldInventories.Source.of(request);
      var collected =
          collect(
              session,
              request.accountId(),
              regions,
              affected,
              startedAt,
              ScanProgress.NONE,
              buckets,
              key -> heldValue(source, key, changed, buckets),
              buckets.isEmpty() ? java.util.Map.of() : held.bucketRegions(source));
      var inventory = collected.inventory();
      held.record(source, inventory, collected.fresh(), buckets);
      var evaluation = PolicyApplication.apply(affected, inventory, request.policy());
      return report(
          request, identity, regions, affected, session, inventory, evaluation, startedAt);
    }
  }

  /**
   * Whether a result (rule id, region) lies in what {@link #reevaluate} judged afresh: a global
   * rule's every result (its data is account-wide), a regional rule's results in that region.
   */
  public boolean reevaluatedScope(String ruleId, String resultRegion, String region) {
    var rule = rules.find(ruleId);
    if (rule.isEmpty()) {
      return false;
    }
    return rule.get().definition().global() || region.equals(resultRegion);
  }

  /**
   * As {@link #reevaluatedScope(String, String, String)} for a re-evaluation narrowed to {@code
   * buckets} (when not empty): only the results of those buckets (resource id = bucket name) were
   * judged afresh; every other resource's result stays as the last full scan left it.
   */
  public boolean reevaluatedScope(
      String ruleId,
      String resultRegion,
      String resourceId,
      String region,
      java.util.Set<String> buckets) {
    if (!buckets.isEmpty() && (resourceId == null || !buckets.contains(resourceId))) {
      return false;
    }
    return reevaluatedScope(ruleId, resultRegion, region);
  }

  private static final java.util.function.Function<Inventory.Key, java.util.Optional<Dataset>>
      NOTHING_HELD = k -> java.util.Optional.empty();

  /**
   * The held value a re-evaluation may use instead of collecting {@code key}: never for a changed
   * dataset, nor for the bucket list of a narrowed one (built from the held regions by its
   * collector, so gone or moved buckets are settled); for a narrowed per-bucket dataset, its held
   * values of those buckets, only if each is known; otherwise the held value if it has no
   * unreadable resource.
   */
  private java.util.Optional<Dataset> heldValue(
      HeldInventories.Source source,
      Inventory.Key key,
      Set<Class<? extends Dataset>> changed,
      Set<String> buckets) {
    if (changed.contains(key.type()) || (!buckets.isEmpty() && key.type() == Buckets.class)) {
      return java.util.Optional.empty();
    }
    var value = held.usable(source, key);
    if (value.isEmpty()) {
      return value;
    }
    if (!buckets.isEmpty() && HeldInventories.perBucket(key.type())) {
      var narrowed = HeldInventories.only(value.get(), buckets);
      var complete =
          ((PerBucket.Values) narrowed).values().keySet().containsAll(buckets)
              && narrowed.partialErrors().isEmpty();
      return complete ? java.util.Optional.of(narrowed) : java.util.Optional.empty();
    }
    return value.get().partialErrors().isEmpty() ? value : java.util.Optional.empty();
  }

  /** A collected inventory and the keys of its facts read afresh (the others were held). */
  private record Collected(Inventory inventory, Set<Inventory.Key> fresh) {}

  private Collected collect(
      AwsSession session,
      String accountId,
      List<String> regions,
      List<AwsRule> enabled,
      java.time.Instant startedAt,
      ScanProgress progress,
      java.util.Set<String> buckets,
      java.util.function.Function<Inventory.Key, java.util.Optional<Dataset>> heldValue,
      java.util.Map<String, String> bucketRegions) {
    var needed = new LinkedHashSet<Class<? extends Dataset>>();
    enabled.forEach(r -> needed.addAll(r.definition().allDatasets()));
    var builder = Inventory.builder(accountId).regions(regions).collectedAt(startedAt);
    var fresh = new HashSet<Inventory.Key>();
    // Global datasets first: each is one task that may take long (IAM authorization details,
    // the credential report, per-bucket S3 reads), so they start before the many regional ones.
    var tasks = new ArrayList<Task>();
    var regional = new ArrayList<Task>();
    for (var type : needed) {
      var collector = collectors.forType(type);
      for (var region : collector.global() ? List.of(Datasets.GLOBAL) : regions) {
        var key = new Inventory.Key(type, region);
        var value = heldValue.apply(key);
        if (value.isPresent()) {
          builder.put(cast(type), region, Fact.known(cast(value.get())));
          continue;
        }
        fresh.add(key);
        (collector.global() ? tasks : regional).add(new Task(collector, region));
      }
    }
    tasks.addAll(regional);
    if (tasks.isEmpty()) {
      return new Collected(builder.build(), Set.copyOf(fresh));
    }
    var namedBuckets = new java.util.concurrent.atomic.AtomicReference<Fact<?>>();
    var done = new AtomicInteger();
    var futures = new ArrayList<Future<?>>();
    try {
      for (var task : tasks) {
        Callable<Void> job =
            () -> {
              var context =
                  new CollectContext(session, accountId, task.region(), buckets, bucketRegions);
              var fact = CollectorRunner.run(task.collector(), context);
              if (task.collector().type() == Buckets.class) {
                namedBuckets.set(fact);
              }
              builder.put(cast(task.collector().type()), task.region(), cast(fact));
              progress.collected(
                  task.collector().service(),
                  task.collector().type().getSimpleName(),
                  task.region(),
                  done.incrementAndGet(),
                  tasks.size());
              return null;
            };
        futures.add(executor.submit(job));
      }
      for (var f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScanException("scan interrupted");
    } catch (ExecutionException e) {
      throw new IllegalStateException("collector task failed unexpectedly", e.getCause());
    } finally {
      // A no-op for finished tasks; stops this scan's remaining ones if it was interrupted.
      futures.forEach(f -> f.cancel(true));
    }
    // A narrowed list is settled once every bucket read is done: buckets a read found deleted
    // leave it, those found in another region than the held one become unreadable.
    if (!buckets.isEmpty() && namedBuckets.get() instanceof Known<?> k) {
      builder.known(
          Buckets.class, Datasets.GLOBAL, S3Collector.settleNamed(session, (Buckets) k.value()));
    }
    return new Collected(builder.build(), Set.copyOf(fresh));
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }

  private static ThreadFactory daemonThreads() {
    var n = new AtomicInteger();
    return r -> {
      var t = new Thread(r, "parapet-aws-collect-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private ScanReport report(
      ScanRequest request,
      AccountProbe.Identity identity,
      List<String> regions,
      List<AwsRule> enabled,
      AwsSession session,
      Inventory inventory,
      PolicyApplication.Outcome evaluation,
      java.time.Instant startedAt) {
    var errors = new LinkedHashSet<CollectionError>();
    var known = new LinkedHashMap<String, Integer>();
    var regionErrors = new LinkedHashMap<String, List<String>>();
    var resources = 0;
    var scopes = new ArrayList<String>(regions);
    scopes.add(Datasets.GLOBAL);
    scopes.forEach(
        s -> {
          known.put(s, 0);
          regionErrors.put(s, new ArrayList<>());
        });
    var facts = new ArrayList<>(inventory.facts().entrySet());
    facts.sort(
        java.util.Comparator.comparing(
                (java.util.Map.Entry<Inventory.Key, ?> e) -> scopes.indexOf(e.getKey().region()))
            .thenComparing(e -> e.getKey().type().getSimpleName()));
    for (var entry : facts) {
      var scope = entry.getKey().region();
      if (entry.getValue() instanceof Known<?> k) {
        var dataset = (Dataset) k.value();
        resources += dataset.resourceCount();
        known.merge(scope, 1, Integer::sum);
        errors.addAll(dataset.partialErrors());
      } else if (entry.getValue() instanceof Unknown<?> u) {
        var error = tagsOnly(entry.getKey().type(), u.error(), enabled);
        errors.add(error);
        regionErrors.get(scope).add(error.describe());
      }
    }
    var states = new ArrayList<RegionState>();
    var touched = new HashSet<String>();
    inventory.facts().keySet().forEach(k -> touched.add(k.region()));
    for (var s : scopes) {
      if (touched.contains(s)) {
        states.add(RegionState.of(s, known.get(s), regionErrors.get(s)));
      }
    }
    var ruleIds = enabled.stream().map(AwsRule::id).toList();
    return new ScanReport(
        identity.accountId(),
        identity.arn(),
        startedAt,
        clock.instant(),
        regions,
        ruleIds,
        List.copyOf(IamPolicyGenerator.actions(enabled)),
        session.counter().totalCalls(),
        session.counter().totalAttempts(),
        session.counter().calls(),
        resources,
        states,
        List.copyOf(errors),
        ownResults(evaluation.results(), identity.accountId()),
        evaluation.unknownScopes(),
        ownResults(evaluation.outOfTarget(), identity.accountId()));
  }

  /**
   * The results about the scanned account's resources: a PASS or FAIL whose resource ARN names
   * another account is dropped, whatever rule produced it (a last guard behind the collectors and
   * rules, which already judge ownership on the returned fields; ARNs without an account part, such
   * as S3 buckets and EBS snapshots, are kept).
   */
  static List<ScanResult> ownResults(List<ScanResult> results, String accountId) {
    return results.stream()
        .filter(
            r ->
                r.resource() == null
                    || Ownership.arnAccount(r.resource().arn()) == null
                    || Ownership.arnOwnedBy(r.resource().arn(), accountId))
        .toList();
  }

  /**
   * An unknown dataset no enabled rule's verdict reads (only tags): says so, and which resources
   * tag exceptions cannot match, since no UNKNOWN result will point at it.
   */
  static CollectionError tagsOnly(
      Class<? extends Dataset> type, CollectionError error, List<AwsRule> enabled) {
    if (enabled.stream().anyMatch(r -> r.definition().datasets().contains(type))) {
      return error;
    }
    var resourceTypes =
        enabled.stream()
            .map(AwsRule::definition)
            .filter(d -> d.tagDatasets().contains(type))
            .map(d -> d.metadata().resourceType())
            .distinct()
            .sorted()
            .toList();
    if (resourceTypes.isEmpty()) {
      return error;
    }
    return new CollectionError(
        error.service(),
        error.region(),
        error.operation(),
        error.reason(),
        "tags of "
            + String.join(", ", resourceTypes)
            + " unreadable (verdicts unaffected; tag exceptions cannot match them): "
            + error.message());
  }

  private record Task(Collector<?> collector, String region) {}
}
