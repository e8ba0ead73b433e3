package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.operator.cloudscan.CloudScanner;
import dev.parapet.operator.cloudscan.ScanInput;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.findings.CloudFindings;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.metrics.ParapetMetrics;
import dev.parapet.operator.policy.EffectivePolicy;
import dev.parapet.operator.policy.ExceptionUsage;
import dev.parapet.operator.reconcile.TriggerEventSource;
import dev.parapet.operator.remediation.Remediator;
import dev.parapet.operator.scan.ScanCredentials;
import dev.parapet.operator.scan.ScanOutcome;
import dev.parapet.operator.securityhub.SecurityHubExport;
import dev.parapet.operator.shard.Shards;
import dev.parapet.operator.shard.WriteFence;
import dev.parapet.webhook.secrets.Redactor;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs scans off the reconciler thread: at most one per account, at most {@code
 * parapet.scan.concurrency} at once. A finished scan writes its findings, records the outcome and
 * triggers a reconcile, which turns the record into status.
 */
@ApplicationScoped
public class ScanCoordinator {

  private static final Logger LOG = Logger.getLogger(ScanCoordinator.class);
  private static final Duration FATAL_RETRY = Duration.ofMinutes(5);

  private final CloudScanner scanner;
  private final CredentialResolver credentials;
  private final FindingWriter writer;
  private final FindingStore store;
  private final AccountEvents events;
  private final ExceptionUsage usage;
  private final ParapetMetrics metrics;
  private final ParapetConfig config;
  private final SecurityHubExport securityHub;
  private final AccountRemediation remediation;
  private final Shards shards;
  private final ExecutorService executor;
  private final Map<String, ScanRecord> records = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();
  // The first-due anchors of the accounts this process has no record of yet; dropped once a scan
  // is queued, the account is forgotten or its shard lost.
  private final Map<String, Anchor> anchors = new ConcurrentHashMap<>();

  /**
   * What this process first saw of an account it has no record of (after a restart, or a shard
   * gained): when ({@code seenAt}, which anchors the restart spread of {@link
   * ScanSchedule#firstDue}) and with which fingerprint (a different one later, a policy or spec
   * change meanwhile, makes the account due at once).
   */
  private record Anchor(Instant seenAt, String fingerprint) {}

  private volatile TriggerEventSource<CloudAccount> trigger;

  @Inject
  public ScanCoordinator(
      CloudScanner scanner,
      CredentialResolver credentials,
      FindingWriter writer,
      FindingStore store,
      AccountEvents events,
      ExceptionUsage usage,
      ParapetMetrics metrics,
      ParapetConfig config,
      SecurityHubExport securityHub,
      AccountRemediation remediation,
      Shards shards) {
    this.shards = shards;
    this.securityHub = securityHub;
    this.scanner = scanner;
    this.credentials = credentials;
    this.writer = writer;
    this.store = store;
    this.events = events;
    this.usage = usage;
    this.metrics = metrics;
    this.config = config;
    this.remediation = remediation;
    var n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            Math.max(1, config.scan().concurrency()),
            r -> {
              var t = new Thread(r, "parapet-scan-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  void setTrigger(TriggerEventSource<CloudAccount> trigger) {
    this.trigger = trigger;
  }

  public static String key(CloudAccount a) {
    return a.getMetadata().getNamespace() + "/" + a.getMetadata().getName();
  }

  public Optional<ScanRecord> last(String key) {
    return Optional.ofNullable(records.get(key));
  }

  public boolean isRunning(String key) {
    return running.containsKey(key);
  }

  /** Whether a scan runs, and the last finished one, read so the two agree. */
  public record State(boolean running, ScanRecord last) {}

  /**
   * Reads {@code running} before {@code records}: a finishing scan stores its record before it
   * leaves {@code running}, so "not running" always comes with that scan's record. Reading them the
   * other way round can pair "not running" with the previous record, and the reconciler then writes
   * a stale status only to overwrite it when the trigger arrives.
   */
  public State state(String key) {
    var isRunning = running.containsKey(key);
    return new State(isRunning, records.get(key));
  }

  /** True when no scan runs and the last one is missing, stale or ran with another fingerprint. */
  public boolean due(String key, String fingerprint, Instant now) {
    if (running.containsKey(key)) {
      return false;
    }
    var r = records.get(key);
    return r == null || !r.fingerprint().equals(fingerprint) || !now.isBefore(r.nextScanAt());
  }

  /**
   * {@link #due(String, String, Instant)} for an account this process may have no record of yet:
   * then it is due at its first due time ({@link #firstDue}), which comes from its persisted
   * status, so a restart does not scan every account at once; or at once when its fingerprint is no
   * longer the one of its {@link #anchor}.
   */
  public boolean due(CloudAccount account, String fingerprint, Instant now) {
    var key = key(account);
    if (running.containsKey(key) || records.containsKey(key)) {
      return due(key, fingerprint, now);
    }
    var anchor = anchor(key, fingerprint, now);
    return !anchor.fingerprint().equals(fingerprint) || !now.isBefore(firstDue(account, anchor));
  }

  /**
   * When an account without a record in this process is first due: see {@link
   * ScanSchedule#firstDue}, from the account's {@link #anchor}.
   */
  public Instant firstDue(CloudAccount account, String fingerprint, Instant now) {
    return firstDue(account, anchor(key(account), fingerprint, now));
  }

  private Instant firstDue(CloudAccount account, Anchor anchor) {
    return ScanSchedule.firstDue(
        key(account),
        ScanSchedule.persisted(account),
        interval(account),
        FATAL_RETRY,
        config.scan().jitter(),
        anchor.seenAt());
  }

  /**
   * The account's anchor: made by the first ask about it ({@link #due(CloudAccount, String,
   * Instant)} or {@link #firstDue}, whichever comes first) from that ask's {@code now} and {@code
   * fingerprint}, then kept as it is until a scan is queued (later asks do not move it).
   */
  private Anchor anchor(String key, String fingerprint, Instant now) {
    return anchors.computeIfAbsent(key, k -> new Anchor(now, fingerprint));
  }

  /** The scan interval of an account: its spec, or the default, never below the minimum. */
  public Duration interval(CloudAccount a) {
    return interval(a, config);
  }

  /** As {@link #interval(CloudAccount)}, with {@code config}'s default and minimum. */
  static Duration interval(CloudAccount a, ParapetConfig config) {
    var scan = a.getSpec().scan();
    var d =
        Intervals.parse(scan == null ? null : scan.interval())
            .orElse(config.scan().defaultInterval());
    return d.compareTo(config.scan().minInterval()) < 0 ? config.scan().minInterval() : d;
  }

  /** Queues a scan unless one is already running for the account. */
  public synchronized void submit(
      CloudAccount account, EffectivePolicy policy, String fingerprint) {
    var key = key(account);
    if (running.containsKey(key)) {
      return;
    }
    var id = ResourceID.fromResource(account);
    var done = new CompletableFuture<Void>();
    running.put(key, done);
    anchors.remove(key);
    executor.execute(
        () -> {
          try {
            var record = scan(account, policy, fingerprint, done);
            if (running.get(key) == done) {
              records.put(key, record);
            }
          } catch (RuntimeException e) {
            LOG.errorf(
                "scan of %s failed unexpectedly: %s",
                key, Redactor.redact(String.valueOf(e.getMessage())));
          } finally {
            running.remove(key, done);
            done.complete(null);
            var t = trigger;
            if (t != null) {
              t.fire(id);
            }
          }
        });
  }

  /** Cancels a running scan, waits for it, and forgets the account (it is being deleted). */
  public void forget(String key) {
    var f = running.remove(key);
    if (f != null) {
      try {
        f.get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // cancelled or failed: either way it no longer writes
      }
    }
    records.remove(key);
    anchors.remove(key);
    usage.forget(
        FindingStore.accountScope(
            key.substring(0, key.indexOf('/')), key.substring(key.indexOf('/') + 1)));
  }

  /**
   * This replica lost shard {@code shard} (sharding): its running scans are abandoned (they write
   * nothing: the check before the writer sees they are no longer the running scan) and its records
   * forgotten, so that a later owner, or this replica when the shard comes back, scans afresh.
   */
  public void abandonShard(int shard) {
    for (var key : java.util.List.copyOf(running.keySet())) {
      if (shardOfKey(key) == shard && running.remove(key) != null) {
        LOG.infof("shard %d lost: the running scan of %s is abandoned unwritten", shard, key);
      }
    }
    records.keySet().removeIf(key -> shardOfKey(key) == shard);
    anchors.keySet().removeIf(key -> shardOfKey(key) == shard);
  }

  private int shardOfKey(String key) {
    var slash = key.indexOf('/');
    return shards.shardOf(key.substring(0, slash), key.substring(slash + 1));
  }

  private ScanRecord scan(
      CloudAccount account,
      EffectivePolicy policy,
      String fingerprint,
      CompletableFuture<Void> token) {
    var key = key(account);
    var started = Instant.now();
    ScanOutcome outcome;
    ScanCredentials creds = null;
    ScanInput input = null;
    try {
      creds = credentials.resolve(account);
      input =
          new ScanInput(
              account.getMetadata().getNamespace(),
              account.getMetadata().getName(),
              account.getSpec(),
              creds,
              policy);
      outcome = scanner.scan(input);
    } catch (CredentialResolver.CredentialsException e) {
      outcome =
          ScanOutcome.fatal(started, Instant.now(), "CredentialsUnavailable", e.getMessage(), true);
    } catch (RuntimeException e) {
      outcome =
          ScanOutcome.fatal(
              started,
              Instant.now(),
              "ScanError",
              Redactor.redact(String.valueOf(e.getMessage())),
              false);
    }
    var interval = interval(account);
    if (outcome.fatal() != null && interval.compareTo(FATAL_RETRY) > 0) {
      interval = FATAL_RETRY; // a scan that could not run is retried sooner than the interval
    }
    // A stable per-account jitter keeps accounts created together from scanning in lock step.
    var next =
        outcome
            .finishedAt()
            .plus(interval)
            .plus(ScanSchedule.jitter(key, interval, config.scan().jitter()));
    metrics.scanFinished(account, outcome);
    if (outcome.fatal() != null) {
      LOG.warnf(
          "scan of %s failed: %s: %s",
          key, outcome.fatal().reason(), Redactor.redact(outcome.fatal().message()));
      events.scanFailed(account, outcome.fatal().reason(), outcome.fatal().message());
      return new ScanRecord(
          outcome,
          null,
          fingerprint,
          next,
          0,
          securityHub.skipped(account, outcome.fatal().reason()));
    }
    if (running.get(key) != token) {
      return new ScanRecord(
          outcome, null, fingerprint, next, 0); // deleted meanwhile: write nothing
    }
    var desired =
        CloudFindings.desired(account, outcome, policy, config.findings().maxMessageLength());
    FindingWriter.SyncResult sync;
    try {
      sync =
          writer.sync(
              FindingStore.accountScope(
                  account.getMetadata().getNamespace(), account.getMetadata().getName()),
              desired.findings(),
              CloudFindings.untouchable(outcome),
              CloudFindings.resolvedReason(account, outcome),
              config.findings().maxPerAccount());
    } catch (WriteFence.Fenced e) {
      // The writer's fence: the account's shard (or the leader Lease) moved during the scan. The
      // scan is dropped unrecorded; the account's holder scans it itself.
      LOG.infof("scan of %s finished after its account moved: nothing written", key);
      running.remove(key, token);
      return new ScanRecord(outcome, null, fingerprint, next, 0);
    }
    metrics.refreshFindings(store::forEachSpecAndStatus);
    usage.record(
        FindingStore.accountScope(
            account.getMetadata().getNamespace(), account.getMetadata().getName()),
        desired.usedExceptions());
    LOG.infof(
        "scan of %s finished: %d failing results, %d writes, %d errors",
        key, outcome.failures().size(), sync.writes(), outcome.errors().size());
    events.newFindings(account, sync.plan().newlyOpen(), policy.language());
    if (outcome.degraded()) {
      events.scanFailed(account, "ScanDegraded", StatusAggregator.summary(outcome));
    }
    // Leader only (scans run on the leader), after the writer: Security Hub gets what changed.
    var exported = securityHub.afterScan(account, creds, policy, outcome);
    Remediator.Summary remediated = null;
    try {
      remediated = remediation.run(account, input, outcome, desired);
    } catch (RuntimeException e) {
      var message = Redactor.redact(String.valueOf(e.getMessage()));
      LOG.warnf("remediation of %s failed: %s", key, message);
      events.scanFailed(account, "RemediationError", message);
      remediated = new Remediator.Summary("False", "RemediationError", message);
    }
    return new ScanRecord(
        outcome,
        sync.plan().counts(),
        fingerprint,
        next,
        sync.failedWrites(),
        exported,
        remediated);
  }

  @PreDestroy
  void shutdown() {
    executor.shutdownNow();
  }
}
