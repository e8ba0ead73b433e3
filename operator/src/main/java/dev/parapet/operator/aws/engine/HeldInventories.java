package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.inventory.s3.PerBucket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last collected value of each dataset (per region, or global) of the AWS accounts whose change
 * events are polled, so that a targeted re-evaluation re-collects only what its events can change
 * and takes every other dataset its rules read from here ({@link ScanEngine#reevaluate}). Filled by
 * every full scan and re-evaluation of a held account (a value replaces the held one only if
 * collected later); nothing is held for an account no holder {@link #keep}s, so an operator without
 * {@code spec.events} pays nothing, and after a restart nothing is held (re-evaluations then
 * collect everything, as before this existed).
 *
 * <p>Why a held value never opens or resolves a Finding a full scan would not: a re-evaluation
 * judges only the rules that read a changed dataset, and only their Findings in its scope. Each
 * rule's verdict combines the freshly collected changed datasets with held ones; a held value is
 * what the last full scan (or a later re-evaluation) read, i.e. the very data the Finding's current
 * state was judged on. A change to a held dataset that emits a mapped event re-collects it (and
 * replaces it here); one that emits none is also missed by the Finding today until the next full
 * scan, which replaces it here. So the result is the last scan's verdict updated with the event's
 * change, never older than what the Finding already shows. Limits keep that true: a held value
 * older than the account's scan interval (a scan is overdue, so it may not reflect what the Finding
 * shows any more) is collected afresh; so is a held value that is UNKNOWN, or known with resources
 * that could not be read (it would judge them UNKNOWN where a fresh read might know); for a
 * re-evaluation narrowed to some buckets, so is a per-bucket dataset without a known value for each
 * of them.
 *
 * <p>Memory: an account's held values are the datasets its last scan collected for the rules that
 * read a dataset some event changes (about the size of one scan's inventory, now kept between
 * scans); datasets only other rules read are not held.
 */
public final class HeldInventories {

  /** Where data comes from: the AWS account, through which endpoint (null: AWS's own). */
  public record Source(String accountId, URI endpoint) {
    public static Source of(ScanRequest request) {
      return new Source(request.accountId(), request.endpointOverride());
    }
  }

  private record Held(Fact<? extends Dataset> fact, Instant collectedAt) {}

  private static final class Account {
    // holder (e.g. a CloudAccount key) -> the age beyond which its held values are not used
    final Map<String, Duration> holders = new HashMap<>();
    final Map<Inventory.Key, Held> facts = new HashMap<>();
    Set<Class<? extends Dataset>> worth = Set.of();

    Duration maxAge() {
      return holders.values().stream().min(Duration::compareTo).orElse(Duration.ZERO);
    }
  }

  private final Map<Source, Account> accounts = new ConcurrentHashMap<>();
  private final Clock clock;

  HeldInventories(Clock clock) {
    this.clock = clock;
  }

  /**
   * Starts (or keeps) holding {@code source}'s datasets of type {@code worth} for {@code holder};
   * held values older than {@code maxAge} (the shortest of its holders') are not used.
   */
  public void keep(
      Source source, String holder, Duration maxAge, Set<Class<? extends Dataset>> worth) {
    for (var e : accounts.entrySet()) {
      if (!e.getKey().equals(source)) {
        release(e.getKey(), e.getValue(), holder); // the holder's account or endpoint changed
      }
    }
    var a = accounts.computeIfAbsent(source, s -> new Account());
    synchronized (a) {
      a.holders.put(holder, maxAge);
      a.worth = Set.copyOf(worth);
      a.facts.keySet().removeIf(k -> !a.worth.contains(k.type()));
    }
  }

  /** Stops holding for {@code holder}; an account no holder keeps is forgotten. */
  public void release(String holder) {
    for (var e : accounts.entrySet()) {
      release(e.getKey(), e.getValue(), holder);
    }
  }

  private void release(Source source, Account a, String holder) {
    synchronized (a) {
      if (a.holders.remove(holder) != null && a.holders.isEmpty()) {
        accounts.remove(source, a);
      }
    }
  }

  /** Forgets every account (leadership lost). */
  public void releaseAll() {
    accounts.clear();
  }

  /** How many dataset values are held for {@code source} (for tests and sizing). */
  public int size(Source source) {
    var a = accounts.get(source);
    if (a == null) {
      return 0;
    }
    synchronized (a) {
      return a.facts.size();
    }
  }

  /**
   * The held value of a dataset if known and collected within the account's max age; the engine
   * further requires every resource it needs readable in it (see the class comment).
   */
  Optional<Dataset> usable(Source source, Inventory.Key key) {
    var a = accounts.get(source);
    if (a == null) {
      return Optional.empty();
    }
    synchronized (a) {
      var h = a.facts.get(key);
      if (h == null
          || !(h.fact() instanceof Known<?> k)
          || h.collectedAt().plus(a.maxAge()).isBefore(clock.instant())) {
        return Optional.empty();
      }
      var d = (Dataset) k.value();
      return Optional.of(d);
    }
  }

  /** The held bucket regions of {@code source} (empty when none are usable). */
  Map<String, String> bucketRegions(Source source) {
    return usable(source, new Inventory.Key(Buckets.class, Datasets.GLOBAL))
        .map(d -> ((Buckets) d).regions())
        .orElse(Map.of());
  }

  /**
   * Records what a scan or re-evaluation collected: the facts of {@code collected} (keys of {@code
   * inventory}), each replacing the held one unless that was collected later. With {@code buckets}
   * (a re-evaluation narrowed to them), the bucket list and per-bucket datasets hold only those
   * buckets: they replace those buckets' entries of the held values, which keep their age (and
   * nothing is recorded without a known held value to merge into).
   */
  void record(
      Source source, Inventory inventory, Set<Inventory.Key> collected, Set<String> buckets) {
    var a = accounts.get(source);
    if (a == null) {
      return;
    }
    var at = inventory.collectedAt();
    synchronized (a) {
      for (var key : collected) {
        if (!a.worth.contains(key.type())) {
          continue;
        }
        var fact = inventory.facts().get(key);
        var held = a.facts.get(key);
        if (fact == null || (held != null && held.collectedAt().isAfter(at))) {
          continue;
        }
        var narrowed = !buckets.isEmpty() && perBucket(key.type());
        if (!narrowed) {
          a.facts.put(key, new Held(fact, at));
        } else if (held != null && held.fact() instanceof Known<?> k) {
          // The merged value keeps the held one's age: only those buckets' entries are new.
          var merged = merge((Dataset) k.value(), fact, buckets);
          a.facts.put(key, new Held(Fact.known(merged), held.collectedAt()));
        }
      }
    }
  }

  /** The bucket list and the per-bucket datasets: narrowed by a bucket event. */
  static boolean perBucket(Class<? extends Dataset> type) {
    return type == Buckets.class || PerBucket.Values.class.isAssignableFrom(type);
  }

  /** {@code held} restricted to {@code buckets} (for a re-evaluation narrowed to them). */
  static Dataset only(Dataset held, Set<String> buckets) {
    if (held instanceof Buckets b) {
      return b.only(buckets);
    }
    return PerBucket.only((PerBucket.Values) held, buckets);
  }

  private static Dataset merge(Dataset held, Fact<? extends Dataset> fresh, Set<String> buckets) {
    if (fresh instanceof Known<?> k) {
      if (held instanceof Buckets b) {
        return b.merge((Buckets) k.value(), buckets);
      }
      return PerBucket.merge((PerBucket.Values) held, (PerBucket.Values) k.value(), buckets);
    }
    // The narrowed read failed as a whole: those buckets become unreadable in the held value, so
    // it is no longer used as known for them (nor, with an unreadable entry, as a whole).
    var error = ((dev.parapet.operator.aws.inventory.Unknown<?>) fresh).error();
    if (held instanceof Buckets b) {
      var unread = new HashMap<String, dev.parapet.operator.aws.inventory.CollectionError>();
      buckets.forEach(n -> unread.put(n, error));
      return b.merge(new Buckets(java.util.List.of(), unread), buckets);
    }
    var h = (PerBucket.Values) held;
    var unknown = new HashMap<String, Fact<?>>();
    buckets.forEach(n -> unknown.put(n, Fact.unknown(error)));
    return PerBucket.merge(h, h.withValues(unknown), buckets);
  }
}
