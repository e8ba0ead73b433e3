package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.AwsSession;
import dev.parapet.operator.aws.collect.EventQueue;
import dev.parapet.operator.aws.engine.HeldInventories;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.events.CloudAccountRef;
import dev.parapet.operator.aws.events.CloudTrailEventListener;
import dev.parapet.operator.aws.events.EventMapping;
import dev.parapet.operator.aws.events.EventPoller;
import dev.parapet.operator.aws.events.EventPollers;
import dev.parapet.operator.aws.events.HandedOver;
import dev.parapet.operator.aws.events.PollerCallbacks;
import dev.parapet.operator.aws.events.PollerStatus;
import dev.parapet.operator.aws.events.Reevaluator;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.cloudscan.EngineCloudScanner;
import dev.parapet.operator.cloudscan.ScanInput;
import dev.parapet.operator.config.Leadership;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.findings.CloudFindings;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.metrics.ParapetMetrics;
import dev.parapet.operator.policy.EffectivePolicy;
import dev.parapet.operator.reconcile.Conditions;
import dev.parapet.operator.reconcile.TriggerEventSource;
import dev.parapet.operator.shard.WriteFence;
import dev.parapet.webhook.secrets.Redactor;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The Kubernetes side of event-driven re-evaluation: starts a poller ({@link EventPoller}) for
 * every CloudAccount with {@code spec.events} while this replica leads (the reconciler calls {@link
 * #reconcile}; leadership loss stops them all, and unhandled messages wait in the queue for the
 * next leader), re-evaluates what the events changed with the scan engine and writes the Findings
 * with the same {@link FindingWriter} as the periodic scan (so behind the same {@link WriteFence}:
 * a burst whose account moved to another replica writes nothing and stays in the queue), and
 * reports the queue in the {@code EventsReady} condition and in Events (a message going to the
 * dead-letter queue).
 *
 * <p>A targeted re-evaluation may only open or resolve Findings it judged afresh: those of the
 * rules it ran, in the region it collected (every region for a rule on global data). Every other
 * Finding of the account is untouchable for it, and so are those whose data came back unknown.
 */
@ApplicationScoped
public class AccountEventPollers implements PollerCallbacks {

  private static final Logger LOG = Logger.getLogger(AccountEventPollers.class);
  public static final String CONDITION = "EventsReady";

  private final ScanEngine engine;
  private final AwsClientFactory clients;
  private final CredentialResolver credentials;
  private final FindingWriter writer;
  private final AccountEvents events;
  private final ParapetMetrics metrics;
  private final ParapetConfig config;
  private final Leadership leadership;
  private final List<CloudTrailEventListener> listeners;
  private final EventPollers pollers;
  private final Map<String, Current> current = new ConcurrentHashMap<>();
  private final Map<String, AwsSession> sessions = new ConcurrentHashMap<>();
  private volatile TriggerEventSource<CloudAccount> trigger;

  /** The latest CloudAccount and policy of a key, as the reconciler last saw them. */
  private record Current(CloudAccount account, EffectivePolicy policy) {}

  @Inject
  public AccountEventPollers(
      ScanEngine engine,
      AwsClientFactory clients,
      CredentialResolver credentials,
      FindingWriter writer,
      AccountEvents events,
      ParapetMetrics metrics,
      ParapetConfig config,
      Leadership leadership,
      @Any Instance<CloudTrailEventListener> listeners) {
    this(
        engine,
        clients,
        credentials,
        writer,
        events,
        metrics,
        config,
        leadership,
        listeners.stream().toList());
  }

  public AccountEventPollers(
      ScanEngine engine,
      AwsClientFactory clients,
      CredentialResolver credentials,
      FindingWriter writer,
      AccountEvents events,
      ParapetMetrics metrics,
      ParapetConfig config,
      Leadership leadership,
      List<CloudTrailEventListener> listeners) {
    this.engine = engine;
    this.clients = clients;
    this.credentials = credentials;
    this.writer = writer;
    this.events = events;
    this.metrics = metrics;
    this.config = config;
    this.leadership = leadership;
    this.listeners = List.copyOf(listeners);
    this.pollers = new EventPollers(config.events().threads());
  }

  @PostConstruct
  void registerLeadership() {
    leadership.whileLeading(() -> {}, this::stopAll);
  }

  void setTrigger(TriggerEventSource<CloudAccount> trigger) {
    this.trigger = trigger;
  }

  /**
   * Called on every reconcile (leader only): runs, replaces or stops the account's poller to match
   * {@code spec.events}, and remembers the policy re-evaluations apply.
   */
  public void reconcile(CloudAccount account, EffectivePolicy policy) {
    var key = ScanCoordinator.key(account);
    var spec = account.getSpec().events();
    if (spec == null || Boolean.TRUE.equals(spec.suspend())) {
      forget(key);
      return;
    }
    current.put(key, new Current(account, policy));
    var creds = (dev.parapet.operator.scan.ScanCredentials) null;
    try {
      creds = credentials.resolve(account);
    } catch (CredentialResolver.CredentialsException e) {
      status(ref(account), new PollerStatus(false, "CredentialsUnavailable", e.getMessage()));
      return;
    }
    var input =
        new ScanInput(
            account.getMetadata().getNamespace(),
            account.getMetadata().getName(),
            account.getSpec(),
            creds,
            policy);
    var request = EngineCloudScanner.request(input);
    // Re-evaluations take what their events did not change from the account's last inventory,
    // held by the engine for accounts with events only, for up to a scan interval.
    engine
        .held()
        .keep(
            HeldInventories.Source.of(request),
            key,
            ScanCoordinator.interval(account, config),
            EventMapping.heldDatasets(engine.rules()));
    var coalesce =
        spec.coalesceSeconds() == null
            ? config.events().defaultCoalesce()
            : Duration.ofSeconds(spec.coalesceSeconds());
    var fingerprint =
        Objects.hash(
                spec.queue(),
                coalesce,
                account.getSpec().credentials(),
                account.getSpec().endpointOverride(),
                account.getSpec().regions(),
                creds.accessKeyId(),
                creds.secretAccessKey(),
                creds.sessionToken(),
                creds.externalId())
            + "";
    if (pollers.running(key, fingerprint)) {
      return;
    }
    EventQueue.Location location;
    try {
      location = EventQueue.locate(spec.queue(), request.endpointOverride(), request.homeRegion());
    } catch (IllegalArgumentException e) {
      status(ref(account), new PollerStatus(false, "InvalidQueue", e.getMessage()));
      return;
    }
    var session =
        clients.open(request.credentials(), request.endpointOverride(), request.homeRegion());
    var old = sessions.put(key, session);
    var poller =
        new EventPoller(
            ref(account),
            EventQueue.open(session, location),
            new EventPoller.Settings(
                config.events().waitSeconds(),
                coalesce,
                1000,
                config.events().retryBackoffSeconds(),
                config.events().errorBackoff()),
            new HashSet<>(request.regions()),
            request.homeRegion(),
            new Reevaluator() {
              @Override
              public long reevaluate(
                  CloudAccountRef a,
                  String region,
                  Set<Class<? extends Dataset>> datasets,
                  Instant oldestEvent,
                  Instant receivedAt)
                  throws Exception {
                return AccountEventPollers.this.reevaluate(
                    a, region, datasets, Set.of(), oldestEvent, receivedAt);
              }

              @Override
              public long reevaluate(
                  CloudAccountRef a,
                  String region,
                  Set<Class<? extends Dataset>> datasets,
                  Set<String> buckets,
                  Instant oldestEvent,
                  Instant receivedAt)
                  throws Exception {
                return AccountEventPollers.this.reevaluate(
                    a, region, datasets, buckets, oldestEvent, receivedAt);
              }
            },
            listeners,
            this,
            Clock.systemUTC());
    pollers.ensure(poller, fingerprint);
    if (old != null) {
      old.close();
    }
  }

  /** Stops the account's poller and forgets it (no spec.events, or the CloudAccount is gone). */
  public void forget(String key) {
    pollers.stop(key);
    current.remove(key);
    engine.held().release(key);
    var s = sessions.remove(key);
    if (s != null) {
      s.close();
    }
  }

  /**
   * Stops the pollers of every account {@code lost} names (a shard moved to another replica: its
   * new holder polls those queues now, and two replicas must not write the same Findings).
   */
  public void forgetIf(java.util.function.Predicate<String> lost) {
    for (var key : java.util.List.copyOf(current.keySet())) {
      if (lost.test(key)) {
        forget(key);
      }
    }
  }

  private void stopAll() {
    pollers.stopAll();
    current.clear();
    engine.held().releaseAll();
    sessions.values().forEach(AwsSession::close);
    sessions.clear();
  }

  /**
   * The account's status with its {@code EventsReady} condition: absent without {@code
   * spec.events}, True while polling works, False with the queue failure's reason otherwise.
   */
  public CloudAccountStatus withCondition(CloudAccount account, CloudAccountStatus status) {
    if (status == null) {
      return null;
    }
    var conditions = new ArrayList<Condition>();
    if (status.conditions() != null) {
      status.conditions().stream()
          .filter(c -> !CONDITION.equals(c.type()))
          .forEach(conditions::add);
    }
    var spec = account.getSpec().events();
    if (spec != null) {
      Condition c;
      if (Boolean.TRUE.equals(spec.suspend())) {
        c =
            cond(
                Condition.FALSE,
                "Suspended",
                "spec.events.suspend is true: the queue is not polled");
      } else {
        var s = pollers.status(ScanCoordinator.key(account)).orElse(PollerStatus.STARTING);
        c =
            cond(
                s.healthy() ? Condition.TRUE : Condition.FALSE,
                s.reason(),
                s.healthy()
                    ? s.message()
                    : s.message()
                        + " (the periodic scan still runs; check spec.events.queue and that the"
                        + " scan role may sqs:ReceiveMessage, DeleteMessage, ChangeMessageVisibility"
                        + " and GetQueueAttributes on it)");
      }
      var previous = account.getStatus() == null ? null : account.getStatus().conditions();
      conditions.addAll(
          Conditions.keepTransitionTimes(
              previous, List.of(c), account.getMetadata().getGeneration(), Instant.now()));
    }
    return new CloudAccountStatus(
        status.observedGeneration(),
        conditions,
        status.identity(),
        status.lastScan(),
        status.nextScanAt(),
        status.findings(),
        status.requiredPermissions());
  }

  private static Condition cond(String status, String reason, String message) {
    return new Condition(CONDITION, status, reason, Redactor.redact(message), null, null);
  }

  private static CloudAccountRef ref(CloudAccount a) {
    return new CloudAccountRef(
        a.getMetadata().getNamespace(), a.getMetadata().getName(), a.getSpec().accountId());
  }

  /** The re-evaluation of one burst (see the class comment for what it may touch). */
  long reevaluate(
      CloudAccountRef ref,
      String region,
      Set<Class<? extends Dataset>> datasets,
      Set<String> buckets,
      Instant oldestEvent,
      Instant receivedAt)
      throws Exception {
    var cur = current.get(ref.key());
    if (cur == null) {
      return 0; // the CloudAccount went away or no longer names this queue
    }
    var account = cur.account();
    var policy = cur.policy();
    var input =
        new ScanInput(
            ref.namespace(), ref.name(), account.getSpec(), credentials.resolve(account), policy);
    var report = engine.reevaluate(EngineCloudScanner.request(input), region, datasets, buckets);
    var outcome = EngineCloudScanner.outcome(report);
    var ran = Set.copyOf(report.enabledRules());
    Predicate<Finding> inScope =
        f ->
            f.getSpec() != null
                && f.getSpec().source() == FindingSpec.Source.AWS
                && f.getSpec().rule() != null
                && f.getSpec().resource() != null
                && ran.contains(f.getSpec().rule().id())
                && engine.reevaluatedScope(
                    f.getSpec().rule().id(),
                    f.getSpec().resource().region(),
                    f.getSpec().resource().id(),
                    region,
                    buckets);
    var unknown = CloudFindings.untouchable(outcome);
    Predicate<Finding> untouchable = f -> !inScope.test(f) || unknown.test(f);
    var outOfTarget = CloudFindings.resolvedReason(account, outcome);
    Function<Finding, String> resolvedReason = f -> inScope.test(f) ? outOfTarget.apply(f) : null;
    var desired =
        CloudFindings.desired(account, outcome, policy, config.findings().maxMessageLength());
    FindingWriter.SyncResult sync;
    try {
      sync =
          writer.sync(
              FindingStore.accountScope(ref.namespace(), ref.name()),
              desired.findings(),
              untouchable,
              resolvedReason,
              config.findings().maxPerAccount());
    } catch (WriteFence.Fenced e) {
      // The shard (or the leader Lease) moved while this burst was collected: nothing written,
      // and the messages stay in the queue for the account's next holder.
      throw new HandedOver(e.getMessage(), e);
    }
    var now = Instant.now();
    metrics.eventToFinding("received", Duration.between(receivedAt, now));
    if (oldestEvent != null) {
      metrics.eventToFinding("event", Duration.between(oldestEvent, now));
    }
    events.newFindings(account, sync.plan().newlyOpen(), policy.language());
    LOG.infof(
        "events of %s re-evaluated %d rules in %s: %d failing, %d writes, %d API calls",
        ref.key(),
        ran.size(),
        region,
        outcome.failures().size(),
        sync.writes(),
        report.apiCallCount());
    if (!outcome.unknown().isEmpty() || sync.failedWrites() > 0) {
      // Retried (and dead-lettered after maxReceiveCount): the data or the write did not land.
      throw new IllegalStateException(
          outcome.unknown().size()
              + " rule/region pairs unknown, "
              + sync.failedWrites()
              + " failed writes"
              + (outcome.errors().isEmpty() ? "" : ": " + outcome.errors().get(0).message()));
    }
    return report.apiCallCount();
  }

  @Override
  public void status(CloudAccountRef account, PollerStatus status) {
    var t = trigger;
    if (t != null) {
      t.fire(new ResourceID(account.name(), account.namespace()));
    }
  }

  @Override
  public void deadLettered(CloudAccountRef ref, String messageId, int receiveCount, String why) {
    metrics.eventDeadLettered();
    var cur = current.get(ref.key());
    if (cur != null) {
      events.scanFailed(
          cur.account(),
          "EventDeadLettered",
          "event message "
              + messageId
              + " failed "
              + receiveCount
              + " times and goes to the queue's dead-letter queue: "
              + why);
    }
  }

  @Override
  public void reevaluated(
      CloudAccountRef account, String region, int count, int datasets, long apiCalls) {
    metrics.eventsReevaluated(count, apiCalls);
  }

  /** For tests: the account's poller status. */
  public java.util.Optional<PollerStatus> pollerStatus(String key) {
    return pollers.status(key);
  }

  @PreDestroy
  void shutdown() {
    pollers.close();
  }
}
