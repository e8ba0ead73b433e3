package dev.parapet.operator.organization;

import dev.parapet.api.v1alpha1.AwsOrganization;
import dev.parapet.api.v1alpha1.AwsOrganizationSpec;
import dev.parapet.api.v1alpha1.AwsOrganizationStatus;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.OrganizationLister;
import dev.parapet.operator.aws.collect.OrganizationLister.Listing;
import dev.parapet.operator.aws.collect.OrganizationLister.Member;
import dev.parapet.operator.cloudaccount.CredentialResolver;
import dev.parapet.operator.cloudaccount.Intervals;
import dev.parapet.operator.cloudaccount.StatusAggregator;
import dev.parapet.operator.cloudscan.EngineCloudScanner;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.config.StatusApply;
import dev.parapet.operator.metrics.ParapetMetrics;
import dev.parapet.operator.reconcile.Conditions;
import dev.parapet.webhook.secrets.Redactor;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.quarkiverse.operatorsdk.annotations.RBACVerbs;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Keeps one CloudAccount per active, selected member of an AWS Organization. The organization is
 * listed (management or delegated-administrator credentials) at most once per {@code
 * spec.syncInterval} or when the spec changes; every reconcile in between works from that listing.
 * The CloudAccounts carry a controller owner reference to the organization, so deleting it deletes
 * them (the garbage collector), and each CloudAccount's own cleanup deletes its Findings. A member
 * that is suspended, closed, filtered out or gone from the organization loses its CloudAccount the
 * same way. A listing that fails changes no CloudAccount: status says why.
 *
 * <p>Members the operator cannot assume into are read from their CloudAccount's CredentialsValid
 * condition rather than probed with an AssumeRole of our own: the scan already assumes the role
 * with the exact identity, ExternalId and endpoint it will use, so its verdict is the one that
 * matters, and a probe would add one STS call per member per sync for no new information.
 */
@ControllerConfiguration(name = AwsOrganizationReconciler.NAME)
@RBACRule(
    apiGroups = "parapet.dev",
    resources = "cloudaccounts",
    verbs = {
      RBACVerbs.GET,
      RBACVerbs.LIST,
      RBACVerbs.WATCH,
      RBACVerbs.CREATE,
      RBACVerbs.UPDATE,
      RBACVerbs.PATCH,
      RBACVerbs.DELETE
    })
@RBACRule(apiGroups = "", resources = "secrets", verbs = RBACVerbs.GET)
public class AwsOrganizationReconciler implements Reconciler<AwsOrganization> {

  public static final String NAME = "awsorganization";
  static final Duration DEFAULT_SYNC = Duration.ofHours(1);
  static final Duration FAILED_RETRY = Duration.ofMinutes(5);
  static final int MAX_UNREACHABLE_LISTED = 100;
  private static final Logger LOG = Logger.getLogger(AwsOrganizationReconciler.class);

  private final KubernetesClient client;
  private final CredentialResolver credentials;
  private final OrganizationLister lister;
  private final ParapetConfig config;
  private final ParapetMetrics metrics;
  private final dev.parapet.operator.shard.Shards shards;
  private final dev.parapet.operator.config.Leadership leadership;
  private final Map<String, Synced> listings = new ConcurrentHashMap<>();

  /** The last listing of an organization: its generation, when, and the selected members. */
  record Synced(
      String uid,
      long generation,
      Instant at,
      Listing listing,
      List<Member> selected,
      AwsOrganizationStatus.AccountCounts counts) {}

  public AwsOrganizationReconciler(
      KubernetesClient client,
      CredentialResolver credentials,
      AwsClientFactory clients,
      ParapetConfig config,
      ParapetMetrics metrics,
      dev.parapet.operator.shard.Shards shards,
      dev.parapet.operator.config.Leadership leadership) {
    this.shards = shards;
    this.leadership = leadership;
    this.client = client;
    this.credentials = credentials;
    this.lister = new OrganizationLister(clients);
    this.config = config;
    this.metrics = metrics;
  }

  /** The CloudAccounts an organization owns are its secondary resources (owner references). */
  @Override
  public List<EventSource<?, AwsOrganization>> prepareEventSources(
      EventSourceContext<AwsOrganization> ctx) {
    var owned =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(CloudAccount.class, AwsOrganization.class)
                .withName("owned-cloudaccounts")
                .withSecondaryToPrimaryMapper(
                    Mappers.fromOwnerReferences(AwsOrganization.class, false))
                .build(),
            ctx);
    return List.of(owned);
  }

  @Override
  public UpdateControl<AwsOrganization> reconcile(
      AwsOrganization org, Context<AwsOrganization> ctx) {
    if (shards.active() && !leadership.leading()) {
      // Sharded: every replica runs the reconcilers; only the singleton Lease's holder owns the
      // member CloudAccounts, so two replicas never create or delete them at once. Look again
      // later: this replica may hold the Lease by then.
      return UpdateControl.<AwsOrganization>noUpdate().rescheduleAfter(Duration.ofSeconds(30));
    }
    var now = Instant.now();
    var key = org.getMetadata().getNamespace() + "/" + org.getMetadata().getName();
    forgetDeleted(ctx);
    var interval = syncInterval(org.getSpec());
    var synced = listings.get(key);
    var generation =
        org.getMetadata().getGeneration() == null ? 0 : org.getMetadata().getGeneration();
    if (synced == null
        || !synced.uid().equals(org.getMetadata().getUid())
        || synced.generation() != generation
        || !now.isBefore(synced.at().plus(interval))) {
      try {
        synced = sync(org, generation, now);
        listings.put(key, synced);
      } catch (CredentialResolver.CredentialsException e) {
        return failed(org, ctx, synced, "CredentialsUnavailable", e.getMessage(), now);
      } catch (OrganizationLister.ListingException e) {
        return failed(org, ctx, synced, e.reason(), e.getMessage(), now);
      } catch (RuntimeException e) {
        return failed(org, ctx, synced, "Error", String.valueOf(e.getMessage()), now);
      }
    }
    var owned =
        ctx.getSecondaryResources(CloudAccount.class).stream()
            .filter(a -> MemberAccounts.ownedBy(a, org))
            .collect(Collectors.toMap(a -> a.getMetadata().getName(), a -> a, (a, b) -> a));
    var conflicts = apply(org, synced.selected(), owned);
    var status = status(org, synced, owned, conflicts, now);
    var next = Duration.between(now, synced.at().plus(interval));
    next = next.isNegative() || next.isZero() ? Duration.ofSeconds(1) : next;
    if (status.equals(org.getStatus())) {
      return UpdateControl.<AwsOrganization>noUpdate().rescheduleAfter(next);
    }
    org.setStatus(status);
    return StatusApply.patchStatus(org, ctx).rescheduleAfter(next);
  }

  @Override
  public ErrorStatusUpdateControl<AwsOrganization> updateErrorStatus(
      AwsOrganization org, Context<AwsOrganization> ctx, Exception e) {
    metrics.reconcileFailed(NAME);
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  /** The sync interval of the spec, never below the operator's minimum scan interval. */
  Duration syncInterval(AwsOrganizationSpec spec) {
    var d = Intervals.parse(spec.syncInterval()).orElse(DEFAULT_SYNC);
    return d.compareTo(config.scan().minInterval()) < 0 ? config.scan().minInterval() : d;
  }

  private Synced sync(AwsOrganization org, long generation, Instant now)
      throws CredentialResolver.CredentialsException {
    var spec = org.getSpec();
    var values = credentials.resolve(org.getMetadata().getNamespace(), spec.credentials());
    var source = EngineCloudScanner.credentials(spec.credentials(), values, "parapet-organization");
    var endpoint = spec.endpointOverride() == null ? null : URI.create(spec.endpointOverride());
    var region = spec.region() == null ? "us-east-1" : spec.region();
    var listing = lister.list(source, endpoint, region);
    int active = 0;
    int suspended = 0;
    int closed = 0;
    var candidates = new ArrayList<Member>();
    for (var m : listing.members()) {
      switch (m.state()) {
        case MemberSelection.ACTIVE -> {
          active++;
          if (MemberSelection.byIdAndOu(m, spec)) {
            candidates.add(m);
          }
        }
        case "SUSPENDED" -> suspended++;
        case "PENDING_CLOSURE", "CLOSED" -> closed++;
        default -> {
          // PENDING_ACTIVATION or a state this version does not know: not scanned yet.
        }
      }
    }
    var selected = candidates;
    if (MemberSelection.needsTags(spec)) {
      var tags =
          lister.tags(source, endpoint, region, candidates.stream().map(Member::id).toList());
      selected =
          candidates.stream()
              // Missing from the tags: the account left the organization since it was listed.
              .filter(
                  m -> tags.containsKey(m.id()) && MemberSelection.byTags(tags.get(m.id()), spec))
              .collect(Collectors.toCollection(ArrayList::new));
    }
    var counts =
        new AwsOrganizationStatus.AccountCounts(
            listing.members().size(), active, suspended, closed, active - selected.size(), 0, 0);
    LOG.infof(
        "organization %s/%s (%s): %d accounts, %d active, %d selected",
        org.getMetadata().getNamespace(),
        org.getMetadata().getName(),
        listing.organizationId(),
        listing.members().size(),
        active,
        selected.size());
    return new Synced(
        org.getMetadata().getUid(), generation, now, listing, List.copyOf(selected), counts);
  }

  /**
   * Creates, updates and deletes owned CloudAccounts so that they match the selected members.
   * Returns the names taken by a CloudAccount the organization does not own (left alone).
   */
  private List<String> apply(
      AwsOrganization org, List<Member> selected, Map<String, CloudAccount> owned) {
    var wanted = new HashMap<String, CloudAccount>();
    for (var m : selected) {
      var desired = MemberAccounts.desired(org, m);
      wanted.put(desired.getMetadata().getName(), desired);
    }
    var conflicts = new ArrayList<String>();
    var accounts =
        client.resources(CloudAccount.class).inNamespace(org.getMetadata().getNamespace());
    for (var desired : wanted.values()) {
      var current = owned.get(desired.getMetadata().getName());
      if (current == null) {
        try {
          accounts.resource(desired).create();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          var existing = accounts.withName(desired.getMetadata().getName()).get();
          if (existing != null && !MemberAccounts.ownedBy(existing, org)) {
            conflicts.add(desired.getMetadata().getName());
          }
          // else: created meanwhile by an earlier reconcile; the informer event brings it here.
        }
      } else if (!MemberAccounts.upToDate(current, desired)) {
        var labels = new HashMap<String, String>();
        if (current.getMetadata().getLabels() != null) {
          labels.putAll(current.getMetadata().getLabels());
        }
        labels.putAll(desired.getMetadata().getLabels());
        var annotations = new HashMap<String, String>();
        if (current.getMetadata().getAnnotations() != null) {
          annotations.putAll(current.getMetadata().getAnnotations());
        }
        annotations.putAll(desired.getMetadata().getAnnotations());
        accounts
            .withName(current.getMetadata().getName())
            .edit(
                a -> {
                  a.getMetadata().setLabels(labels);
                  a.getMetadata().setAnnotations(annotations);
                  a.setSpec(desired.getSpec());
                  return a;
                });
      }
    }
    for (var entry : owned.entrySet()) {
      // Already being deleted (its finalizer deletes the Findings first): nothing more to ask.
      if (!wanted.containsKey(entry.getKey())
          && entry.getValue().getMetadata().getDeletionTimestamp() == null) {
        LOG.infof(
            "organization %s/%s: member %s is no longer selected or active; deleting CloudAccount %s",
            org.getMetadata().getNamespace(),
            org.getMetadata().getName(),
            entry.getValue().getSpec().accountId(),
            entry.getKey());
        accounts.resource(entry.getValue()).delete();
      }
    }
    return conflicts;
  }

  private AwsOrganizationStatus status(
      AwsOrganization org,
      Synced synced,
      Map<String, CloudAccount> owned,
      List<String> conflicts,
      Instant now) {
    var selectedNames =
        synced.selected().stream()
            .map(m -> MemberAccounts.name(org, m.id()))
            .collect(Collectors.toSet());
    var unreachable =
        owned.values().stream()
            .filter(a -> selectedNames.contains(a.getMetadata().getName()))
            .map(AwsOrganizationReconciler::unreachable)
            .filter(u -> u != null)
            .sorted(Comparator.comparing(AwsOrganizationStatus.UnreachableAccount::accountId))
            .toList();
    var managed =
        (int) owned.keySet().stream().filter(selectedNames::contains).count()
            + (int)
                selectedNames.stream()
                    .filter(n -> !owned.containsKey(n) && !conflicts.contains(n))
                    .count();
    var c = synced.counts();
    var counts =
        new AwsOrganizationStatus.AccountCounts(
            c.total(),
            c.active(),
            c.suspended(),
            c.closed(),
            c.excluded(),
            managed,
            unreachable.size());
    var message =
        managed
            + " CloudAccounts for "
            + c.active()
            + " active of "
            + c.total()
            + " accounts ("
            + c.excluded()
            + " excluded by the filters)"
            + (unreachable.isEmpty()
                ? ""
                : "; "
                    + unreachable.size()
                    + " members could not be assumed into (status.unreachable)")
            + (conflicts.isEmpty()
                ? ""
                : "; CloudAccounts not owned by this organization already use the names "
                    + String.join(", ", conflicts.stream().sorted().toList())
                    + ": rename or delete them");
    var ready =
        new Condition(
            StatusAggregator.READY,
            conflicts.isEmpty() ? Condition.TRUE : Condition.FALSE,
            conflicts.isEmpty() ? "Synced" : "NameConflict",
            message,
            null,
            null);
    var previous = org.getStatus();
    return new AwsOrganizationStatus(
        org.getMetadata().getGeneration(),
        Conditions.keepTransitionTimes(
            previous == null ? null : previous.conditions(),
            List.of(ready),
            org.getMetadata().getGeneration() == null ? 0 : org.getMetadata().getGeneration(),
            now),
        synced.listing().organizationId(),
        synced.at().toString(),
        counts,
        unreachable.size() > MAX_UNREACHABLE_LISTED
            ? unreachable.subList(0, MAX_UNREACHABLE_LISTED)
            : unreachable);
  }

  /** The member's CredentialsValid=False condition as an unreachable entry, else null. */
  private static AwsOrganizationStatus.UnreachableAccount unreachable(CloudAccount a) {
    if (a.getStatus() == null || a.getStatus().conditions() == null) {
      return null;
    }
    return a.getStatus().conditions().stream()
        .filter(c -> StatusAggregator.CREDENTIALS_VALID.equals(c.type()))
        .filter(c -> Condition.FALSE.equals(c.status()))
        .findFirst()
        .map(
            c ->
                new AwsOrganizationStatus.UnreachableAccount(
                    a.getSpec().accountId(),
                    a.getMetadata().getName(),
                    c.reason(),
                    Redactor.redact(String.valueOf(c.message()))))
        .orElse(null);
  }

  /**
   * Listing failed: no CloudAccount changes (a transient AccessDenied must not delete every
   * member's Findings); Ready=False says why, and the listing is retried sooner than the interval.
   */
  private UpdateControl<AwsOrganization> failed(
      AwsOrganization org,
      Context<AwsOrganization> ctx,
      Synced previous,
      String reason,
      String message,
      Instant now) {
    var text = Redactor.redact(message);
    LOG.warnf(
        "organization %s/%s could not be listed: %s: %s",
        org.getMetadata().getNamespace(), org.getMetadata().getName(), reason, text);
    var current = org.getStatus();
    var ready =
        new Condition(
            StatusAggregator.READY,
            Condition.FALSE,
            reason,
            "the organization could not be listed; its CloudAccounts are left as they are: " + text,
            null,
            null);
    var generation =
        org.getMetadata().getGeneration() == null ? 0 : org.getMetadata().getGeneration();
    var status =
        new AwsOrganizationStatus(
            org.getMetadata().getGeneration(),
            Conditions.keepTransitionTimes(
                current == null ? null : current.conditions(), List.of(ready), generation, now),
            current == null ? null : current.organizationId(),
            current == null ? null : current.lastSyncAt(),
            current == null ? null : current.accounts(),
            current == null ? null : current.unreachable());
    var interval = syncInterval(org.getSpec());
    var retry = interval.compareTo(FAILED_RETRY) < 0 ? interval : FAILED_RETRY;
    if (status.equals(current)) {
      return UpdateControl.<AwsOrganization>noUpdate().rescheduleAfter(retry);
    }
    org.setStatus(status);
    return StatusApply.patchStatus(org, ctx).rescheduleAfter(retry);
  }

  /** Drops listings of organizations no longer in the cache (deleted). */
  private void forgetDeleted(Context<AwsOrganization> ctx) {
    Set<String> live =
        ctx.getPrimaryCache()
            .list()
            .map(ResourceID::fromResource)
            .map(id -> id.getNamespace().orElse("") + "/" + id.getName())
            .collect(Collectors.toSet());
    listings.keySet().retainAll(live);
  }
}
