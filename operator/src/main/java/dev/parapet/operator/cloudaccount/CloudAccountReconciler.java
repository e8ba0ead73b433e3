package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.activity.ActivityRecorder;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.config.StatusApply;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.metrics.ParapetMetrics;
import dev.parapet.operator.policy.EffectivePolicy;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.policy.ServiceScope;
import dev.parapet.operator.reconcile.TriggerEventSource;
import dev.parapet.operator.scan.RuleCatalog;
import dev.parapet.operator.shard.Shards;
import dev.parapet.operator.shard.WriteFence;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.quarkiverse.operatorsdk.annotations.RBACVerbs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Scans CloudAccounts (on an executor) and reports the outcome in their status. */
@ControllerConfiguration(name = CloudAccountReconciler.NAME)
@RBACRule(apiGroups = "parapet.dev", resources = "findings", verbs = RBACRule.ALL)
@RBACRule(apiGroups = "parapet.dev", resources = "findings/status", verbs = RBACRule.ALL)
@RBACRule(
    apiGroups = "parapet.dev",
    resources = "posturepolicies",
    verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH})
@RBACRule(apiGroups = "", resources = "secrets", verbs = RBACVerbs.GET)
@RBACRule(
    apiGroups = "",
    resources = "events",
    verbs = {RBACVerbs.CREATE, RBACVerbs.PATCH})
public class CloudAccountReconciler implements Reconciler<CloudAccount>, Cleaner<CloudAccount> {

  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(CloudAccountReconciler.class);

  public static final String NAME = "cloudaccount";
  private static final List<String> BASE_ACTIONS =
      List.of("ec2:DescribeRegions", "sts:GetCallerIdentity");

  private final ScanCoordinator scans;
  private final FindingWriter writer;
  private final RuleCatalog catalog;
  private final ParapetMetrics metrics;
  private final ParapetConfig config;
  private final AccountEventPollers eventPollers;
  private final ActivityRecorder activity;
  private final Shards shards;
  private final TriggerEventSource<CloudAccount> trigger =
      new TriggerEventSource<>("scan-finished");
  private volatile InformerEventSource<PosturePolicy, CloudAccount> policies;

  public CloudAccountReconciler(
      ScanCoordinator scans,
      FindingWriter writer,
      RuleCatalog catalog,
      ParapetMetrics metrics,
      ParapetConfig config,
      AccountEventPollers eventPollers,
      ActivityRecorder activity,
      Shards shards) {
    this.eventPollers = eventPollers;
    this.activity = activity;
    this.shards = shards;
    this.scans = scans;
    this.writer = writer;
    this.catalog = catalog;
    this.metrics = metrics;
    this.config = config;
  }

  /**
   * PosturePolicies are a secondary resource of every CloudAccount: a policy created, deleted or
   * changed in its spec (a new generation) re-reconciles all accounts, whose effective policy (and
   * so scan fingerprint) may change. A finished scan re-reconciles its account.
   */
  @Override
  public List<EventSource<?, CloudAccount>> prepareEventSources(
      EventSourceContext<CloudAccount> ctx) {
    scans.setTrigger(trigger);
    eventPollers.setTrigger(trigger);
    // Sharding: a shard gained re-reconciles its accounts (they scan and poll here now); a shard
    // lost abandons its running scans unwritten and stops its accounts' event pollers.
    var cache = ctx.getPrimaryCache();
    shards.onChange(
        shard ->
            cache
                .list()
                .filter(
                    a ->
                        shards.shardOf(a.getMetadata().getNamespace(), a.getMetadata().getName())
                            == shard)
                .forEach(a -> trigger.fire(ResourceID.fromResource(a))),
        shard -> {
          scans.abandonShard(shard);
          eventPollers.forgetIf(
              key -> {
                var slash = key.indexOf('/');
                return shards.shardOf(key.substring(0, slash), key.substring(slash + 1)) == shard;
              });
        });
    policies =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(PosturePolicy.class, CloudAccount.class)
                .withName("posturepolicies")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(
                    p ->
                        ctx.getPrimaryCache()
                            .list()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .withOnUpdateFilter(
                    (a, b) ->
                        !Objects.equals(
                            a.getMetadata().getGeneration(), b.getMetadata().getGeneration()))
                .build(),
            ctx);
    return List.of(trigger, policies);
  }

  @Override
  public UpdateControl<CloudAccount> reconcile(CloudAccount account, Context<CloudAccount> ctx) {
    if (!owned(account)) {
      // Another replica holds this account's shard: no scan, no status write here.
      return UpdateControl.noUpdate();
    }
    var now = Instant.now();
    var key = ScanCoordinator.key(account);
    var scan = account.getSpec().scan();
    var suspended = scan != null && Boolean.TRUE.equals(scan.suspend());
    var scope = ServiceScope.of(account.getSpec());
    if (!scope.valid()) {
      return blocked(
          account,
          ctx,
          key,
          suspended,
          StatusAggregator.Blocked.invalidSpec(scope.describeProblems()),
          now);
    }
    var owner =
        DuplicateAccounts.ownerOf(
            account, ctx.getPrimaryCache().list(account.getMetadata().getNamespace()).toList());
    if (owner.isPresent()) {
      return blocked(
          account,
          ctx,
          key,
          suspended,
          StatusAggregator.Blocked.duplicateOf(owner.get(), account.getSpec().accountId()),
          now);
    }
    var policy = PolicyMerger.effectiveFor(policies.list().toList(), account, catalog.rules(), now);
    var activityExpiry = maintainActivity(account, now);
    var fingerprint = account.getMetadata().getGeneration() + "/" + policy.fingerprint();
    eventPollers.reconcile(account, policy);
    if (!suspended && scans.due(account, fingerprint, now)) {
      scans.submit(account, policy, fingerprint);
    }
    var state = scans.state(key);
    var last = state.last();
    if (account.getStatus() != null
        && state.running()
        && last != null
        && !last.fingerprint().equals(fingerprint)) {
      return UpdateControl
          .noUpdate(); // the running scan reflects the change; it triggers us when done
    }
    var status =
        StatusAggregator.aggregate(
            new StatusAggregator.Input(
                account.getStatus(),
                account.getMetadata().getGeneration(),
                last,
                state.running(),
                suspended,
                requiredPermissions(policy),
                now));
    status = eventPollers.withCondition(account, status);
    status =
        StatusAggregator.holdTiming(
            account.getStatus(),
            withShard(status, account),
            now,
            config.scan().statusTimingRefresh());
    var next = nextCheck(last, policy, activityExpiry, now);
    if (last == null && !suspended && !state.running()) {
      // No scan in this process yet, deferred by the persisted schedule: look again when it is due.
      next = min(next, Duration.between(now, scans.firstDue(account, fingerprint, now)));
    }
    if (status.equals(account.getStatus())) {
      return UpdateControl.<CloudAccount>noUpdate().rescheduleAfter(next);
    }
    account.setStatus(status);
    return StatusApply.patchStatus(account, ctx).rescheduleAfter(next);
  }

  /**
   * No scan runs: a spec the schema should have rejected (e.g. an unknown service under an older
   * CRD), or an AWS account another CloudAccount of the namespace scans. Findings stay as they are,
   * and Ready=False says why and what to do.
   */
  private UpdateControl<CloudAccount> blocked(
      CloudAccount account,
      Context<CloudAccount> ctx,
      String key,
      boolean suspended,
      StatusAggregator.Blocked why,
      Instant now) {
    var state = scans.state(key);
    var current = account.getStatus();
    var permissions =
        current == null || current.requiredPermissions() == null
            ? List.<String>of()
            : current.requiredPermissions();
    var status =
        StatusAggregator.aggregate(
            new StatusAggregator.Input(
                current,
                account.getMetadata().getGeneration(),
                state.last(),
                state.running(),
                suspended,
                permissions,
                now,
                why));
    status = withShard(status, account);
    if (status.equals(current)) {
      return UpdateControl.noUpdate();
    }
    account.setStatus(status);
    return StatusApply.patchStatus(account, ctx);
  }

  @Override
  public DeleteControl cleanup(CloudAccount account, Context<CloudAccount> ctx) {
    if (!owned(account)) {
      // The shard's holder deletes the Findings and removes the finalizer; should the shard move
      // meanwhile, its new holder is triggered for every account of the shard and does it.
      return DeleteControl.noFinalizerRemoval();
    }
    scans.forget(ScanCoordinator.key(account));
    eventPollers.forget(ScanCoordinator.key(account));
    // A CloudAccount held back as a duplicate of this one may scan now.
    ctx.getPrimaryCache()
        .list(account.getMetadata().getNamespace())
        .filter(a -> DuplicateAccounts.sameAwsAccount(a, account))
        .filter(a -> !a.getMetadata().getName().equals(account.getMetadata().getName()))
        .forEach(a -> trigger.fire(ResourceID.fromResource(a)));
    metrics.accountDeleted(account.getMetadata().getNamespace(), account.getMetadata().getName());
    try {
      writer.deleteAll(
          FindingStore.accountScope(
              account.getMetadata().getNamespace(), account.getMetadata().getName()));
      if (activity != null) {
        activity.forget(account.getMetadata().getNamespace(), account.getMetadata().getName());
      }
    } catch (WriteFence.Fenced e) {
      // The shard moved since owned() above: the finalizer stays for the new holder's cleanup.
      LOG.infof(
          "cleanup of %s left to the account's new holder: %s",
          ScanCoordinator.key(account), e.getMessage());
      return DeleteControl.noFinalizerRemoval();
    }
    return DeleteControl.defaultDelete();
  }

  @Override
  public ErrorStatusUpdateControl<CloudAccount> updateErrorStatus(
      CloudAccount account, Context<CloudAccount> ctx, Exception e) {
    metrics.reconcileFailed(NAME);
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  private boolean owned(CloudAccount account) {
    return shards.owns(account.getMetadata().getNamespace(), account.getMetadata().getName());
  }

  /** The status with the shard and its holder when sharded; unchanged otherwise. */
  private CloudAccountStatus withShard(CloudAccountStatus status, CloudAccount account) {
    if (!shards.active()) {
      return status;
    }
    return status.withShard(
        new CloudAccountStatus.Shard(
            shards.shardOf(account.getMetadata().getNamespace(), account.getMetadata().getName()),
            shards.count(),
            shards.identity()));
  }

  /**
   * Activity findings: re-judged against the policies, expired ones deleted. Returns when the next
   * one expires. A failure is logged and retried at the next reconcile; it never stops the scan.
   */
  private Optional<Instant> maintainActivity(CloudAccount account, Instant now) {
    if (activity == null) {
      return Optional.empty();
    }
    try {
      return activity.maintain(account, policies.list().toList(), now).nextExpiry();
    } catch (RuntimeException e) {
      LOG.warnf(
          "activity findings of %s: %s",
          ScanCoordinator.key(account),
          dev.parapet.webhook.secrets.Redactor.redact(String.valueOf(e.getMessage())));
      return Optional.empty();
    }
  }

  /**
   * When to look again: the next scan, or an exception expiring earlier (it reopens findings), or
   * an activity finding's retention ending earlier (it is deleted).
   */
  private static Duration nextCheck(
      ScanRecord last, EffectivePolicy policy, Optional<Instant> activityExpiry, Instant now) {
    var at = last == null ? now.plus(Duration.ofMinutes(10)) : last.nextScanAt();
    if (activityExpiry.isPresent() && activityExpiry.get().isBefore(at)) {
      at = activityExpiry.get().plusSeconds(1);
    }
    if (policy.nextExpiry().isPresent() && policy.nextExpiry().get().isBefore(at)) {
      at = policy.nextExpiry().get().plusSeconds(1);
    }
    var d = Duration.between(now, at);
    return d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d;
  }

  private static Duration min(Duration a, Duration b) {
    var m = a.compareTo(b) <= 0 ? a : b;
    return m.isNegative() || m.isZero() ? Duration.ofSeconds(1) : m;
  }

  private List<String> requiredPermissions(EffectivePolicy policy) {
    var actions = new TreeSet<>(BASE_ACTIONS);
    catalog.rules().stream()
        .filter(r -> policy.enabledRules().contains(r.id()))
        .map(RuleMetadata::requiredActions)
        .forEach(actions::addAll);
    return List.copyOf(actions);
  }
}
