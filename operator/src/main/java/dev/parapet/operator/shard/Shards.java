package dev.parapet.operator.shard;

import dev.parapet.operator.config.Leadership;
import dev.parapet.operator.config.ParapetConfig;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.jboss.logging.Logger;

/**
 * Which CloudAccounts this replica scans (issue 19, sharding).
 *
 * <p>With {@code parapet.shards.count} 1 (the default) this class does nothing: {@link #owns}
 * answers true, JOSDK's leader election gates every reconciler as before. With more shards (and
 * leader election enabled, as the chart does) JOSDK's own election is off, every replica runs the
 * reconcilers, and this class:
 *
 * <ul>
 *   <li>renews a membership Lease of its own ({@code <lease-name>-member-<identity>}, labelled
 *       {@value #MEMBER_LABEL}) every retry period, and lists the others: a member is alive while
 *       its renewTime plus the lease duration is in the future;
 *   <li>from the sorted members computes the shards it should hold ({@link
 *       ShardAssignment#desired}) and contends for exactly those shard Leases ({@code
 *       <lease-name>-shard-<i>}) with Fabric8's LeaderElector, releasing the others; a replica that
 *       goes away stops renewing, its member Lease expires, the others' assignment changes and they
 *       acquire its shards once those Leases expire too (within about two lease durations);
 *   <li>contends for the singleton Lease {@code <lease-name>} with the same elector and reports it
 *       to {@link Leadership}, so the cluster audit, the report writer and PosturePolicy status run
 *       on one replica, as before.
 * </ul>
 *
 * A CloudAccount belongs to shard {@link ShardAssignment#shardOf}. Fencing: a shard is dropped from
 * {@link #held} before its Lease is released, Fabric8 reports a loss after the renew deadline
 * (shorter than the lease duration, so before another replica can acquire it), and the Finding
 * writer checks {@link #stillHolds} (the local flag and the Lease as the API server has it, through
 * {@link LeaseWriteFence}) right before it writes an account's Findings, for scans and event
 * re-evaluations alike.
 */
@ApplicationScoped
public class Shards {

  private static final Logger LOG = Logger.getLogger(Shards.class);
  public static final String MEMBER_LABEL = "parapet.dev/shard-member";

  private final KubernetesClient client;
  private final ParapetConfig config;
  private final Leadership leadership;
  private final Set<Integer> held = ConcurrentHashMap.newKeySet();
  private final Map<Integer, LeaseLoop> loops = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<IntConsumer> gainedListeners = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<IntConsumer> lostListeners = new CopyOnWriteArrayList<>();
  private volatile ScheduledExecutorService scheduler;
  private volatile LeaseLoop singleton;
  private volatile String identity;
  private volatile String namespace;
  private volatile boolean stopped;

  @Inject
  public Shards(KubernetesClient client, ParapetConfig config, Leadership leadership) {
    this.client = client;
    this.config = config;
    this.leadership = leadership;
  }

  /** True when CloudAccounts are sharded: more than one shard, leader election on, a controller. */
  public boolean active() {
    return config.shards().count() > 1
        && config.leaderElection().enabled()
        && config.role().runsController();
  }

  public int count() {
    return active() ? config.shards().count() : 1;
  }

  /** The shard of a CloudAccount (0 when not sharding). */
  public int shardOf(String namespace, String name) {
    return ShardAssignment.shardOf(namespace, name, count());
  }

  /** Whether this replica scans the CloudAccount {@code namespace/name} now. */
  public boolean owns(String namespace, String name) {
    return !active() || held.contains(shardOf(namespace, name));
  }

  /** The shards this replica holds now (empty when not sharding). */
  public Set<Integer> held() {
    return Set.copyOf(held);
  }

  /** This replica's holder identity (the pod name). */
  public String identity() {
    return identity;
  }

  /**
   * Fencing before a write batch: true when not sharding, or when this replica still holds the
   * shard both by its own account and by the Lease the API server has (holder is this replica, not
   * expired). An error reading the Lease counts as not held: the scan's writes are skipped and the
   * next holder rescans.
   */
  public boolean stillHolds(String namespace, String name) {
    if (!active()) {
      return true;
    }
    var shard = shardOf(namespace, name);
    if (!held.contains(shard)) {
      return false;
    }
    try {
      var lease = client.leases().inNamespace(this.namespace).withName(shardLeaseName(shard)).get();
      if (lease == null || lease.getSpec() == null) {
        return false;
      }
      var spec = lease.getSpec();
      var renewed = spec.getRenewTime();
      var seconds = spec.getLeaseDurationSeconds();
      return identity.equals(spec.getHolderIdentity())
          && renewed != null
          && seconds != null
          && renewed.plusSeconds(seconds).isAfter(ZonedDateTime.now());
    } catch (KubernetesClientException e) {
      LOG.warnf("could not read shard Lease %d before writing: HTTP %d", shard, e.getCode());
      return false;
    }
  }

  /**
   * Runs {@code gained} with the shard number when this replica acquires a shard, {@code lost} when
   * it loses or releases one; both on the scheduler thread, never the elector's.
   */
  public void onChange(IntConsumer gained, IntConsumer lost) {
    gainedListeners.add(gained);
    lostListeners.add(lost);
  }

  public String shardLeaseName(int shard) {
    return config.leaderElection().leaseName() + "-shard-" + shard;
  }

  String memberLeaseName() {
    var id = identity.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    return config.leaderElection().leaseName() + "-member-" + id;
  }

  /** Starts membership, the shard Leases and the singleton Lease. No-op when not sharding. */
  public synchronized void start() {
    if (!active() || scheduler != null) {
      return;
    }
    identity =
        config
            .leaderElection()
            .identity()
            .filter(id -> !id.isBlank())
            .or(() -> java.util.Optional.ofNullable(System.getenv("HOSTNAME")))
            .filter(id -> !id.isBlank())
            .orElse(UUID.randomUUID().toString());
    namespace = config.leaderElection().leaseNamespace().orElse(client.getNamespace());
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "parapet-shards");
              t.setDaemon(true);
              return t;
            });
    LOG.infof(
        "sharding on: %d shards, this replica is %s; Leases %s-shard-<i> in %s",
        config.shards().count(), identity, config.leaderElection().leaseName(), namespace);
    singleton =
        new LeaseLoop(
            client,
            namespace,
            config.leaderElection().leaseName(),
            identity,
            timing(),
            leadership::startedLeading,
            leadership::stoppedLeading,
            scheduler);
    singleton.start();
    var period = config.shards().retryPeriod().toMillis();
    scheduler.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
  }

  private LeaseLoop.ShardTiming timing() {
    var s = config.shards();
    return new LeaseLoop.ShardTiming(s.leaseDuration(), s.renewDeadline(), s.retryPeriod());
  }

  /** One membership round: heartbeat, who is alive, contend for our shards, release the others. */
  void tick() {
    if (stopped) {
      return;
    }
    try {
      heartbeat();
      var alive = aliveMembers();
      var desired = ShardAssignment.desired(alive, identity, config.shards().count());
      for (int i = 0; i < config.shards().count(); i++) {
        var shard = i;
        if (desired.contains(shard) && !loops.containsKey(shard)) {
          LOG.infof("contending for shard %d (members %s)", shard, alive);
          var loop =
              new LeaseLoop(
                  client,
                  namespace,
                  shardLeaseName(shard),
                  identity,
                  timing(),
                  () -> gained(shard),
                  () -> lost(shard),
                  scheduler);
          loops.put(shard, loop);
          loop.start();
        } else if (!desired.contains(shard) && loops.containsKey(shard)) {
          LOG.infof("releasing shard %d to rebalance (members %s)", shard, alive);
          lost(shard);
          loops.remove(shard).close();
        }
      }
    } catch (RuntimeException e) {
      LOG.warnf("shard membership round failed: %s", e.toString());
    }
  }

  private void gained(int shard) {
    if (stopped || !loops.containsKey(shard) || !held.add(shard)) {
      return;
    }
    LOG.infof("this replica now holds shard %d", shard);
    var s = scheduler;
    if (s != null) {
      s.execute(() -> gainedListeners.forEach(l -> run(l, shard)));
    }
  }

  private void lost(int shard) {
    if (!held.remove(shard)) {
      return;
    }
    LOG.infof("this replica no longer holds shard %d", shard);
    var s = scheduler;
    if (s != null && !s.isShutdown()) {
      s.execute(() -> lostListeners.forEach(l -> run(l, shard)));
    } else {
      lostListeners.forEach(l -> run(l, shard));
    }
  }

  private static void run(IntConsumer listener, int shard) {
    try {
      listener.accept(shard);
    } catch (RuntimeException e) {
      LOG.warnf("shard %d listener failed: %s", shard, e.toString());
    }
  }

  /** Creates or renews this replica's membership Lease. */
  private void heartbeat() {
    var leases = client.leases().inNamespace(namespace);
    var name = memberLeaseName();
    var now = ZonedDateTime.now();
    var seconds = (int) Math.max(1, config.shards().leaseDuration().toSeconds());
    var current = leases.withName(name).get();
    if (current == null) {
      leases
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .addToLabels(MEMBER_LABEL, config.leaderElection().leaseName())
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(identity)
                  .withLeaseDurationSeconds(seconds)
                  .withAcquireTime(now)
                  .withRenewTime(now)
                  .endSpec()
                  .build())
          .create();
      return;
    }
    current.getSpec().setHolderIdentity(identity);
    current.getSpec().setLeaseDurationSeconds(seconds);
    current.getSpec().setRenewTime(now);
    leases.resource(current).update();
  }

  /**
   * The identities of the members whose Lease has not expired. Members expired for more than ten
   * lease durations (pods gone for good) are deleted, so their Leases do not pile up.
   */
  private Set<String> aliveMembers() {
    var alive = new TreeSet<String>();
    var now = ZonedDateTime.now();
    var list =
        client
            .leases()
            .inNamespace(namespace)
            .withLabel(MEMBER_LABEL, config.leaderElection().leaseName())
            .list()
            .getItems();
    for (Lease l : list) {
      var spec = l.getSpec();
      if (spec == null || spec.getHolderIdentity() == null || spec.getRenewTime() == null) {
        continue;
      }
      var seconds = spec.getLeaseDurationSeconds() == null ? 15 : spec.getLeaseDurationSeconds();
      var expiry = spec.getRenewTime().plusSeconds(seconds);
      if (expiry.isAfter(now)) {
        alive.add(spec.getHolderIdentity());
      } else if (expiry.plusSeconds(9L * seconds).isBefore(now)) {
        try {
          client.resource(l).lockResourceVersion().delete();
        } catch (KubernetesClientException e) {
          LOG.debugf("could not delete expired member Lease %s", l.getMetadata().getName());
        }
      }
    }
    return alive;
  }

  /**
   * Gives everything up (shutdown): shards are dropped locally first (so no scan writes past this
   * point), then their Leases and the singleton Lease are released and the membership Lease is
   * deleted, so the others rebalance at their next round instead of waiting for expiry.
   */
  @PreDestroy
  public synchronized void stop() {
    if (scheduler == null || stopped) {
      return;
    }
    stopped = true;
    scheduler.shutdownNow();
    for (var shard : Set.copyOf(loops.keySet())) {
      lost(shard);
    }
    loops.values().forEach(LeaseLoop::close);
    loops.clear();
    if (singleton != null) {
      singleton.close();
    }
    try {
      client.leases().inNamespace(namespace).withName(memberLeaseName()).delete();
    } catch (KubernetesClientException e) {
      LOG.infof("membership Lease not deleted (it expires): HTTP %d", e.getCode());
    }
    LOG.info("shards released");
  }
}
