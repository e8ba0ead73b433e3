package dev.parapet.operator.policy;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicyStatus;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.config.StatusApply;
import dev.parapet.operator.metrics.ParapetMetrics;
import dev.parapet.operator.reconcile.Conditions;
import dev.parapet.operator.reconcile.TriggerEventSource;
import dev.parapet.operator.scan.RuleCatalog;
import dev.parapet.webhook.WorkloadEvaluator;
import dev.parapet.webhook.policy.PolicyException;
import dev.parapet.webhook.policy.PolicyValidator;
import dev.parapet.webhook.policy.PosturePolicyMapper;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Validates PosturePolicies and reports what each selects, matches and leaves unused. */
@ControllerConfiguration(name = PosturePolicyReconciler.NAME)
@RBACRule(
    apiGroups = "",
    resources = {"pods", "services", "configmaps", "namespaces"},
    verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH})
@RBACRule(
    apiGroups = "apps",
    resources = {"deployments", "statefulsets", "daemonsets", "replicasets"},
    verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH})
@RBACRule(
    apiGroups = "batch",
    resources = {"jobs", "cronjobs"},
    verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH})
@RBACRule(
    apiGroups = "rbac.authorization.k8s.io",
    resources = {"clusterroles", "roles", "clusterrolebindings", "rolebindings"},
    verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH})
@RBACRule(
    apiGroups = "",
    resources = "serviceaccounts",
    verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH})
@RBACRule(
    apiGroups = "networking.k8s.io",
    resources = "ingresses",
    verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH})
@RBACRule(
    apiGroups = "parapet.dev",
    resources = "cloudaccounts",
    verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH})
public class PosturePolicyReconciler implements Reconciler<PosturePolicy> {

  public static final String NAME = "posturepolicy";
  public static final String ACCEPTED = "Accepted";

  private final RuleCatalog catalog;
  private final ExceptionUsage usage;
  private final ParapetMetrics metrics;
  private final dev.parapet.operator.shard.Shards shards;
  private final dev.parapet.operator.config.Leadership leadership;
  private final TriggerEventSource<PosturePolicy> trigger =
      new TriggerEventSource<>("exception-use");
  private volatile InformerEventSource<CloudAccount, PosturePolicy> accounts;

  public PosturePolicyReconciler(
      RuleCatalog catalog,
      ExceptionUsage usage,
      ParapetMetrics metrics,
      dev.parapet.operator.shard.Shards shards,
      dev.parapet.operator.config.Leadership leadership) {
    this.shards = shards;
    this.leadership = leadership;
    this.catalog = catalog;
    this.usage = usage;
    this.metrics = metrics;
  }

  /**
   * CloudAccounts (any namespace) are a secondary resource of every policy: an account that
   * appears, disappears or changes labels re-reconciles all policies (status.matchedAccounts). A
   * change in which exceptions waived something (a scan, the cluster audit) does too
   * (status.unusedExceptions).
   */
  @Override
  public List<EventSource<?, PosturePolicy>> prepareEventSources(
      EventSourceContext<PosturePolicy> ctx) {
    accounts =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(CloudAccount.class, PosturePolicy.class)
                .withName("cloudaccounts")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(
                    a ->
                        ctx.getPrimaryCache()
                            .list()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .withOnUpdateFilter(
                    (a, b) ->
                        !Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels()))
                .build(),
            ctx);
    usage.onChange(
        () -> ctx.getPrimaryCache().list().forEach(p -> trigger.fire(ResourceID.fromResource(p))));
    if (shards.active()) {
      // Sharded: every replica runs this reconciler, the singleton Lease's holder writes status.
      leadership.whileLeading(
          () -> ctx.getPrimaryCache().list().forEach(p -> trigger.fire(ResourceID.fromResource(p))),
          () -> {});
    }
    return List.of(accounts, trigger);
  }

  @Override
  public UpdateControl<PosturePolicy> reconcile(PosturePolicy policy, Context<PosturePolicy> ctx) {
    if (shards.active() && !leadership.leading()) {
      return UpdateControl.noUpdate(); // the singleton Lease's holder reports status
    }
    var now = Instant.now();
    var generation = policy.getMetadata().getGeneration();
    var previous = policy.getStatus();
    var newGeneration =
        previous == null || !Objects.equals(previous.observedGeneration(), generation);
    var rejectPastExpiry = newGeneration || rejected(previous, generation);
    var problems =
        PolicyMerger.validator(catalog.rules()).validate(policy.getSpec(), now, rejectPastExpiry);
    var status = problems.isEmpty() ? accepted(policy, now) : rejectedStatus(problems);
    status =
        new PosturePolicyStatus(
            generation,
            Conditions.keepTransitionTimes(
                previous == null ? null : previous.conditions(),
                status.conditions(),
                generation,
                now),
            status.enabledRules(),
            status.matchedAccounts(),
            status.expiredExceptions(),
            status.unusedExceptions());
    var next = nextExpiry(policy, now);
    if (status.equals(previous)) {
      return next == null
          ? UpdateControl.noUpdate()
          : UpdateControl.<PosturePolicy>noUpdate().rescheduleAfter(next);
    }
    policy.setStatus(status);
    var control = StatusApply.patchStatus(policy, ctx);
    return next == null ? control : control.rescheduleAfter(next);
  }

  @Override
  public ErrorStatusUpdateControl<PosturePolicy> updateErrorStatus(
      PosturePolicy policy, Context<PosturePolicy> ctx, Exception e) {
    metrics.reconcileFailed(NAME);
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  private PosturePolicyStatus accepted(PosturePolicy policy, Instant now) {
    var spec = policy.getSpec();
    var enabled = new TreeSet<String>();
    var cloudRules =
        catalog.rules().stream().filter(r -> r.source() == RuleMetadata.Source.AWS).toList();
    if (spec.cloud() != null) {
      PolicyMerger.selectRules(spec.cloud(), cloudRules).forEach(r -> enabled.add(r.id()));
    }
    if (spec.admission() != null) {
      var admission = PosturePolicyMapper.map(policy).orElseThrow();
      WorkloadEvaluator.RULES.stream()
          .filter(r -> admission.ruleEnabled(r.metadata().id()) && r.enabled(admission))
          .forEach(r -> enabled.add(r.metadata().id()));
    }
    var matched =
        spec.cloud() == null
            ? List.<String>of()
            : accounts
                .list()
                .filter(
                    a ->
                        spec.cloud().accountSelector() == null
                            || spec.cloud().accountSelector().matches(a.getMetadata().getLabels()))
                .map(a -> a.getMetadata().getNamespace() + "/" + a.getMetadata().getName())
                .sorted()
                .toList();
    var expired = new ArrayList<String>();
    var exceptions =
        spec.exceptions() == null
            ? List.<dev.parapet.api.v1alpha1.PosturePolicySpec.PolicyException>of()
            : spec.exceptions();
    for (int i = 0; i < exceptions.size(); i++) {
      var e = exceptions.get(i);
      var at = PolicyException.parseTime(e.expiresAt());
      if (at.isPresent() && !at.get().isAfter(now)) {
        expired.add(PolicyException.name(e, i));
      }
    }
    var usage = this.usage.snapshot();
    var unused =
        PolicyMerger.activeExceptions(List.of(policy), now).stream()
            // Sharded, exception use of cloud scans is spread over the replicas (it is kept in
            // memory where the scan ran): a cloud exception is never called unused then, as
            // unknown is not unused. Workload exceptions come from the audit on this replica.
            .filter(e -> !shards.active() || e.matchesWorkloads())
            .filter(usage::unused)
            .map(PolicyException::name)
            .toList();
    var message =
        "accepted: "
            + enabled.size()
            + " rules enabled, "
            + matched.size()
            + " accounts matched"
            + (expired.isEmpty() ? "" : ", " + expired.size() + " exceptions expired");
    return new PosturePolicyStatus(
        null,
        List.of(new Condition(ACCEPTED, Condition.TRUE, "Valid", message, null, null)),
        List.copyOf(enabled),
        matched.isEmpty() ? null : matched,
        expired.isEmpty() ? null : List.copyOf(expired),
        unused == null || unused.isEmpty() ? null : unused);
  }

  private static PosturePolicyStatus rejectedStatus(List<PolicyValidator.Problem> problems) {
    var message =
        problems.stream().map(PolicyValidator.Problem::toString).collect(Collectors.joining("; "));
    return new PosturePolicyStatus(
        null,
        List.of(new Condition(ACCEPTED, Condition.FALSE, "InvalidSpec", message, null, null)),
        null,
        null,
        null,
        null);
  }

  private static boolean rejected(PosturePolicyStatus s, Long generation) {
    return s != null
        && s.conditions() != null
        && s.conditions().stream()
            .anyMatch(
                c ->
                    ACCEPTED.equals(c.type())
                        && Condition.FALSE.equals(c.status())
                        && Objects.equals(c.observedGeneration(), generation));
  }

  private static Duration nextExpiry(PosturePolicy policy, Instant now) {
    return PolicyMerger.activeExceptions(List.of(policy), now).stream()
        .map(PolicyException::expiresAt)
        .filter(Objects::nonNull)
        .min(Instant::compareTo)
        .map(at -> Duration.between(now, at).plusSeconds(1))
        .orElse(null);
  }
}
