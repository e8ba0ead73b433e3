package dev.parapet.operator.activity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.operator.aws.events.CloudAccountRef;
import dev.parapet.operator.aws.events.CloudTrailEventListener;
import dev.parapet.operator.aws.events.HandedOver;
import dev.parapet.operator.aws.events.activity.ActivityDetector;
import dev.parapet.operator.aws.events.activity.ActivityObservation;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.policy.ExceptionUsage;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.scan.RuleCatalog;
import dev.parapet.operator.shard.WriteFence;
import dev.parapet.webhook.secrets.Redactor;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Activity findings: the {@link CloudTrailEventListener} the event poller calls for every
 * CloudTrail record, and their upkeep on every CloudAccount reconcile. Both go through the one
 * {@link FindingWriter} ({@link FindingWriter#syncActivity}): new findings are created (a
 * redelivered event writes nothing), existing ones are re-judged against the current policy (an
 * exception added or expired suppresses or reopens them, a severity override applies), and those
 * past the policy's {@code spec.activity.retention} are deleted. A scan never touches them: they
 * live in their own scope ({@link FindingStore#activityScope}).
 */
@ApplicationScoped
public class ActivityRecorder implements CloudTrailEventListener {

  private static final Logger LOG = Logger.getLogger(ActivityRecorder.class);

  private final KubernetesClient client;
  private final FindingWriter writer;
  private final FindingStore store;
  private final RuleCatalog catalog;
  private final ExceptionUsage usage;
  private final int maxPerAccount;
  private final int maxMessageLength;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  @Inject
  public ActivityRecorder(
      KubernetesClient client,
      FindingWriter writer,
      FindingStore store,
      RuleCatalog catalog,
      ExceptionUsage usage,
      ParapetConfig config) {
    this(
        client,
        writer,
        store,
        catalog,
        usage,
        config.findings().maxPerAccount(),
        config.findings().maxMessageLength());
  }

  /** A recorder with explicit limits (tests). */
  public ActivityRecorder(
      KubernetesClient client,
      FindingWriter writer,
      FindingStore store,
      RuleCatalog catalog,
      ExceptionUsage usage,
      int maxPerAccount,
      int maxMessageLength) {
    this.client = client;
    this.writer = writer;
    this.store = store;
    this.catalog = catalog;
    this.usage = usage;
    this.maxPerAccount = maxPerAccount;
    this.maxMessageLength = maxMessageLength;
  }

  /**
   * Detects activity in one record and writes its findings. Reads the CloudAccount and the
   * PosturePolicies only when the record holds activity (most records hold none). Throws when a
   * write failed, so the message is redelivered (the write is idempotent).
   */
  @Override
  public void onEvent(CloudAccountRef ref, String region, JsonNode detail) {
    var observations = ActivityDetector.detect(detail, region);
    if (observations.isEmpty()) {
      return;
    }
    var account =
        client
            .resources(CloudAccount.class)
            .inNamespace(ref.namespace())
            .withName(ref.name())
            .get();
    if (account == null || account.getMetadata().getDeletionTimestamp() != null) {
      LOG.debugf("activity for %s dropped: the CloudAccount is gone", ref.key());
      return;
    }
    var policies = client.resources(PosturePolicy.class).inAnyNamespace().list().getItems();
    Result result;
    try {
      result = sync(account, policies, observations, Instant.now());
    } catch (WriteFence.Fenced e) {
      throw new HandedOver(e.getMessage(), e); // the message stays for the account's holder
    }
    if (result.sync().failedWrites() > 0) {
      throw new IllegalStateException(
          result.sync().failedWrites()
              + " activity finding write(s) failed for "
              + ref.key()
              + "; the event will be redelivered");
    }
  }

  /** What a sync did, and when the next activity finding of the account expires. */
  public record Result(FindingWriter.SyncResult sync, Optional<Instant> nextExpiry) {}

  /**
   * Re-judges the account's activity findings against the policies and deletes the expired ones (on
   * every reconcile of the CloudAccount: a policy changed, an exception expired, a scan ended).
   */
  public Result maintain(CloudAccount account, Collection<PosturePolicy> policies, Instant now) {
    return sync(account, policies, List.of(), now);
  }

  /** Writes {@code observations} and re-judges the account's existing activity findings. */
  public Result sync(
      CloudAccount account,
      Collection<PosturePolicy> policies,
      List<ActivityObservation> observations,
      Instant now) {
    var ns = account.getMetadata().getNamespace();
    var scope = FindingStore.activityScope(ns, account.getMetadata().getName());
    var rules = catalog.rules();
    var policy = PolicyMerger.effectiveFor(policies, account, rules, now);
    var retention =
        ActivityRetention.forAccount(
            PolicyMerger.accepted(policies, rules, now), account.getMetadata().getLabels());
    synchronized (locks.computeIfAbsent(scope, k -> new Object())) {
      // whole Findings: re-judging rebuilds their spec, and the cache holds only projections
      var existing = store.fetchActivity(scope);
      var fresh =
          observations.stream()
              .filter(
                  o ->
                      ActivityRetention.time(o.eventTime())
                          .map(t -> t.plus(retention).isAfter(now))
                          .orElse(true))
              .toList();
      var rejudged = ActivityFindings.rejudged(account, existing, policy);
      var incoming = ActivityFindings.desired(account, fresh, policy, maxMessageLength);
      var byName = new LinkedHashMap<String, dev.parapet.operator.findings.DesiredFinding>();
      rejudged.findings().forEach(d -> byName.put(d.name(), d));
      incoming.findings().forEach(d -> byName.putIfAbsent(d.name(), d));
      var used = new java.util.HashSet<>(rejudged.usedExceptions());
      used.addAll(incoming.usedExceptions());
      var result =
          writer.syncActivity(
              scope,
              new ArrayList<>(byName.values()),
              f -> ActivityRetention.expired(f, retention, now),
              maxPerAccount);
      usage.recordActivity(scope, used);
      for (var f : result.plan().creates()) {
        LOG.infof(
            "activity finding %s/%s: %s",
            ns, f.getMetadata().getName(), Redactor.redact(String.valueOf(f.getSpec().message())));
      }
      if (!result.plan().deletes().isEmpty()) {
        LOG.infof(
            "deleted %d activity finding(s) of %s past their retention (%s)",
            result.plan().deletes().size(), scope, retention);
      }
      var remaining = new ArrayList<>(existing);
      remaining.addAll(result.plan().creates());
      // Only future expiries: one already past was deleted now, or its delete failed and the
      // next regular reconcile retries it (no reconcile loop on a failing delete).
      var next =
          remaining.stream()
              .map(f -> ActivityRetention.expiry(f, retention))
              .flatMap(Optional::stream)
              .filter(t -> t.isAfter(now))
              .min(java.util.Comparator.naturalOrder());
      return new Result(result, next);
    }
  }

  /** Deletes every activity finding of a CloudAccount that is being deleted. */
  public int forget(String namespace, String name) {
    var scope = FindingStore.activityScope(namespace, name);
    usage.forget(scope);
    return writer.deleteAll(scope);
  }
}
