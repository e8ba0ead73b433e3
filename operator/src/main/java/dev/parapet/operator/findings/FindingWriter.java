package dev.parapet.operator.findings;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.shard.WriteFence;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Diffs desired findings against the store and applies the minimal writes. The findings of a
 * CloudAccount (posture and activity scopes) are written only while the {@link WriteFence} says
 * this replica holds the account; otherwise {@link WriteFence.Fenced} is thrown before any write.
 */
@ApplicationScoped
public class FindingWriter {

  private static final Logger LOG = Logger.getLogger(FindingWriter.class);

  private final KubernetesClient client;
  private final FindingStore store;
  private final Duration retention;
  private final WriteFence fence;

  /** What a sync did. {@code failedWrites} > 0 means the next scan will retry the rest. */
  public record SyncResult(FindingPlan plan, int writes, int failedWrites) {}

  /**
   * How a writer is set up: how long resolved findings are kept, and the fence its account writes
   * go through ({@link WriteFence#OPEN}: none).
   */
  public record Options(Duration retention, WriteFence fence) {
    public Options {
      java.util.Objects.requireNonNull(retention, "retention");
      java.util.Objects.requireNonNull(fence, "fence");
    }

    /** A single writer, no fence (tests, benchmarks, tools). */
    public static Options unfenced(Duration retention) {
      return new Options(retention, WriteFence.OPEN);
    }

    /** These options with {@code fence}. */
    public Options fencedBy(WriteFence fence) {
      return new Options(retention, fence);
    }
  }

  /** The operator's options: the configured retention and the replica's fence. */
  @Produces
  @Dependent
  static Options options(ParapetConfig config, WriteFence fence) {
    return new Options(config.findings().retention(), fence);
  }

  @Inject
  public FindingWriter(KubernetesClient client, FindingStore store, Options options) {
    this.client = client;
    this.store = store;
    this.retention = options.retention();
    this.fence = options.fence();
  }

  /**
   * The fence, checked once before a write batch: a CloudAccount's scope is written only while this
   * replica holds the account. Other scopes (the cluster audit's) follow the singleton Lease
   * through Leadership instead.
   */
  private void fence(String scope) {
    var account = FindingStore.accountOf(scope);
    if (account.isPresent() && !fence.holds(account.get().namespace(), account.get().name())) {
      throw new WriteFence.Fenced(account.get().namespace(), account.get().name());
    }
  }

  /**
   * Brings the findings of {@code scope} to {@code desired}.
   *
   * @throws WriteFence.Fenced when {@code scope} is a CloudAccount's and this replica no longer
   *     holds it (nothing is written)
   */
  public SyncResult sync(
      String scope, List<DesiredFinding> desired, Predicate<Finding> untouchable, int cap) {
    return sync(scope, desired, untouchable, f -> null, cap);
  }

  /**
   * As {@link #sync(String, List, Predicate, int)}; {@code resolvedReason} gives the status's
   * {@code resolvedReason} of each Finding it resolves (null: none).
   */
  public SyncResult sync(
      String scope,
      List<DesiredFinding> desired,
      Predicate<Finding> untouchable,
      Function<Finding, String> resolvedReason,
      int cap) {
    fence(scope);
    var plan =
        FindingPlanner.plan(
            desired,
            store.observed(scope),
            untouchable,
            resolvedReason,
            cap,
            Instant.now(),
            retention);
    return apply(plan);
  }

  /**
   * Brings the activity findings of {@code scope} ({@link FindingStore#activityScope}) up to date:
   * creates {@code desired} (a redelivered event finds its finding already there and writes
   * nothing), re-judges their exception, and deletes the findings {@code expired} says are past
   * their retention. Never resolves anything ({@link FindingPlanner#planActivity}).
   */
  public SyncResult syncActivity(
      String scope, List<DesiredFinding> desired, Predicate<Finding> expired, int cap) {
    fence(scope);
    return apply(
        FindingPlanner.planActivity(desired, store.observed(scope), expired, cap, Instant.now()));
  }

  private SyncResult apply(FindingPlan plan) {
    var writes = 0;
    var failed = 0;
    var versions = new HashMap<String, String>();
    for (var f : plan.specUpdates()) {
      try {
        var updated = client.resource(f).update();
        versions.put(f.getMetadata().getName(), updated.getMetadata().getResourceVersion());
        store.wrote(updated);
        writes++;
      } catch (KubernetesClientException e) {
        if (goneMeanwhile(e, f)) {
          continue;
        }
        failed++;
        LOG.warnf("update of finding %s failed: %s", f.getMetadata().getName(), describe(e));
      }
    }
    for (var f : plan.creates()) {
      var status = f.getStatus();
      try {
        f.setStatus(null);
        var created = client.resource(f).create();
        writes++;
        created.setStatus(status);
        store.wrote(client.resource(created).updateStatus());
        writes++;
      } catch (KubernetesClientException e) {
        failed++;
        LOG.warnf("create of finding %s failed: %s", f.getMetadata().getName(), describe(e));
      } finally {
        f.setStatus(status);
      }
    }
    for (var f : plan.statusUpdates()) {
      var rv = versions.get(f.getMetadata().getName());
      if (rv != null) {
        f.getMetadata().setResourceVersion(rv);
      }
      try {
        store.wrote(client.resource(f).updateStatus());
        writes++;
      } catch (KubernetesClientException e) {
        if (goneMeanwhile(e, f)) {
          continue;
        }
        failed++;
        LOG.warnf("status of finding %s failed: %s", f.getMetadata().getName(), describe(e));
      }
    }
    for (var f : plan.deletes()) {
      try {
        client.resource(f).withGracePeriod(0).delete();
        store.deleted(f);
        writes++;
      } catch (KubernetesClientException e) {
        if (goneMeanwhile(e, f)) {
          continue;
        }
        failed++;
        LOG.warnf("delete of finding %s failed: %s", f.getMetadata().getName(), describe(e));
      }
    }
    return new SyncResult(plan, writes, failed);
  }

  /**
   * A Finding deleted since the plan was made (the garbage collector follows its owner, a user
   * deleted it): nothing to write and nothing failed; the cache forgets it.
   */
  private boolean goneMeanwhile(KubernetesClientException e, Finding f) {
    if (e.getCode() != 404) {
      return false;
    }
    store.deleted(f);
    LOG.debugf("finding %s was deleted meanwhile", f.getMetadata().getName());
    return true;
  }

  /** HTTP code and the API server's message, without the client's request dump. */
  static String describe(KubernetesClientException e) {
    var status = e.getStatus();
    return "HTTP "
        + e.getCode()
        + (status == null || status.getMessage() == null
            ? " " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
            : " " + status.getMessage());
  }

  /** Annotations to merge into one Finding ({@link #annotate}). */
  public record Annotations(Finding finding, Map<String, String> annotations) {}

  /**
   * Merges annotations into Findings of {@code scope} (a JSON merge patch each: nothing else
   * changes and no resourceVersion is needed) and keeps each result in the store, so the next plan
   * starts from it. The fence is checked once, before the first write. Returns how many were
   * written; a write that failed (logged) or whose Finding is gone is not counted.
   *
   * @throws WriteFence.Fenced when {@code scope} is a CloudAccount's and this replica no longer
   *     holds it (nothing is written)
   * @throws IllegalArgumentException when a Finding is not of {@code scope} (nothing is written)
   */
  public int annotate(String scope, List<Annotations> annotations) {
    if (annotations.isEmpty()) {
      return 0; // nothing to write: the fence is not asked
    }
    for (var a : annotations) {
      var of = FindingStore.scopeOf(a.finding());
      if (!of.equals(scope)) {
        throw new IllegalArgumentException(
            "finding " + a.finding().getMetadata().getName() + " is of " + of + ", not " + scope);
      }
    }
    fence(scope);
    var written = 0;
    for (var a : annotations) {
      if (annotate(a.finding(), a.annotations())) {
        written++;
      }
    }
    return written;
  }

  private boolean annotate(Finding f, Map<String, String> annotations) {
    try {
      var updated =
          client
              .resources(Finding.class)
              .inNamespace(f.getMetadata().getNamespace())
              .withName(f.getMetadata().getName())
              .patch(
                  io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                      io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                  io.fabric8.kubernetes.client.utils.Serialization.asJson(
                      Map.of("metadata", Map.of("annotations", annotations))));
      store.wrote(updated);
      return true;
    } catch (KubernetesClientException e) {
      if (!goneMeanwhile(e, f)) {
        LOG.warnf("annotating finding %s failed: %s", f.getMetadata().getName(), describe(e));
      }
      return false;
    }
  }

  /**
   * Sets the remediation record on Findings of {@code scope}, by Finding name (the planner carries
   * it over on every later write). The fence is checked once, before the first write. Returns how
   * many were written; a Finding that is gone, or whose write failed (logged), is not counted.
   *
   * @throws WriteFence.Fenced when {@code scope} is a CloudAccount's and this replica no longer
   *     holds it (nothing is written)
   */
  public int recordRemediations(
      String scope, Map<String, dev.parapet.api.v1alpha1.FindingStatus.Remediation> records) {
    if (records.isEmpty()) {
      return 0; // nothing to write: the fence is not asked
    }
    fence(scope);
    var byName = new HashMap<String, Finding>();
    store.observed(scope).forEach(f -> byName.put(f.getMetadata().getName(), f));
    var written = 0;
    for (var e : records.entrySet()) {
      if (recordRemediation(byName.get(e.getKey()), e.getValue())) {
        written++;
      }
    }
    return written;
  }

  private boolean recordRemediation(
      Finding current, dev.parapet.api.v1alpha1.FindingStatus.Remediation remediation) {
    if (current == null || current.getStatus() == null) {
      return false;
    }
    var name = current.getMetadata().getName();
    try {
      var updated =
          client
              .resources(Finding.class)
              .inNamespace(current.getMetadata().getNamespace())
              .withName(name)
              .editStatus(
                  f -> {
                    f.setStatus(f.getStatus().withRemediation(remediation));
                    return f;
                  });
      store.wrote(updated);
      return true;
    } catch (KubernetesClientException e) {
      if (!goneMeanwhile(e, current)) {
        LOG.warnf("remediation status of finding %s failed: %s", name, describe(e));
      }
      return false;
    }
  }

  /**
   * Deletes every finding of a scope (the CloudAccount is gone). Returns how many were deleted. The
   * fence is checked once, before the first delete: a replica that no longer holds the account
   * leaves them to the holder, which runs the CloudAccount's cleanup itself.
   *
   * @throws WriteFence.Fenced when {@code scope} is a CloudAccount's and this replica no longer
   *     holds it (nothing is deleted)
   */
  public int deleteAll(String scope) {
    var findings = store.observed(scope);
    if (findings.isEmpty()) {
      return 0; // nothing to delete: the fence is not asked
    }
    fence(scope);
    var n = 0;
    for (var f : findings) {
      client.resource(f).withGracePeriod(0).delete();
      store.deleted(f);
      n++;
    }
    return n;
  }
}
