package dev.parapet.operator.aws.collect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A bounded cache of closeable values with idle expiry and leases: at most {@code maxEntries}
 * values are kept (least recently used evicted first) and a value unused for {@code idleExpiry} is
 * dropped. A value is closed when it leaves the cache, but never while a lease on it is open: an
 * evicted value that is still leased is closed when its last lease is released. When the last lease
 * on a value still cached is released, {@code whenIdle} is told (under the cache's lock, so before
 * any new lease on it). Thread-safe.
 */
final class ClientCache<K, V extends AutoCloseable> implements AutoCloseable {
  private final int maxEntries;
  private final long idleExpiryNanos;
  private final LongSupplier nanoClock;
  private final Function<K, V> create;
  private final Consumer<? super V> whenIdle;
  private final Map<K, Entry<V>> entries = new LinkedHashMap<>();
  private boolean closed;

  ClientCache(int maxEntries, Duration idleExpiry, LongSupplier nanoClock, Function<K, V> create) {
    this(maxEntries, idleExpiry, nanoClock, create, v -> {});
  }

  ClientCache(
      int maxEntries,
      Duration idleExpiry,
      LongSupplier nanoClock,
      Function<K, V> create,
      Consumer<? super V> whenIdle) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1");
    }
    this.maxEntries = maxEntries;
    this.idleExpiryNanos = idleExpiry.toNanos();
    this.nanoClock = nanoClock;
    this.create = create;
    this.whenIdle = whenIdle;
  }

  /** The value for {@code key}, created on first use; release the lease when done with it. */
  Lease<V> acquire(K key) {
    List<Entry<V>> toClose;
    Entry<V> entry;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("client cache is closed");
      }
      var now = nanoClock.getAsLong();
      toClose = expire(now);
      entry = entries.get(key);
      if (entry == null) {
        // Created under the lock: creating a value builds objects only (no network calls).
        entry = new Entry<>(create.apply(key));
        entries.put(key, entry);
        toClose.addAll(evictOverflow(entry));
      }
      entry.leases++;
      entry.lastUsed = now;
    }
    closeAll(toClose);
    return new Lease<>(this, entry);
  }

  /** Values currently cached (leased or not). */
  synchronized int size() {
    return entries.size();
  }

  /** The values currently cached (a copy). */
  synchronized List<V> values() {
    return entries.values().stream().map(e -> e.value).toList();
  }

  private void release(Entry<V> entry) {
    boolean close;
    synchronized (this) {
      entry.leases--;
      entry.lastUsed = nanoClock.getAsLong();
      close = entry.evicted && entry.leases == 0;
      if (!entry.evicted && entry.leases == 0) {
        whenIdle.accept(entry.value);
      }
    }
    if (close) {
      closeAll(List.of(entry));
    }
  }

  /** Drops idle entries; returns those that can be closed now. */
  private List<Entry<V>> expire(long now) {
    var out = new ArrayList<Entry<V>>();
    var it = entries.values().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (e.leases == 0 && now - e.lastUsed >= idleExpiryNanos) {
        it.remove();
        e.evicted = true;
        out.add(e);
      }
    }
    return out;
  }

  /** Evicts least recently used entries beyond the bound (never {@code keep}). */
  private List<Entry<V>> evictOverflow(Entry<V> keep) {
    var out = new ArrayList<Entry<V>>();
    while (entries.size() > maxEntries) {
      var victim =
          entries.entrySet().stream()
              .filter(e -> e.getValue() != keep)
              // Prefer entries nobody uses; among those, the least recently used.
              .min(
                  Comparator.comparing((Map.Entry<K, Entry<V>> e) -> e.getValue().leases > 0)
                      .thenComparingLong(e -> e.getValue().lastUsed))
              .orElseThrow();
      entries.remove(victim.getKey());
      var e = victim.getValue();
      e.evicted = true;
      if (e.leases == 0) {
        out.add(e);
      }
    }
    return out;
  }

  private static <V extends AutoCloseable> void closeAll(List<Entry<V>> closing) {
    for (var e : closing) {
      if (!e.closed.compareAndSet(false, true)) {
        continue;
      }
      try {
        e.value.close();
      } catch (Exception ignored) {
        // A client that fails to close has nothing left to release that we could act on.
      }
    }
  }

  @Override
  public void close() {
    List<Entry<V>> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(entries.values());
      entries.clear();
      all.forEach(e -> e.evicted = true);
    }
    closeAll(all);
  }

  private static final class Entry<V> {
    final V value;
    final AtomicBoolean closed = new AtomicBoolean();
    int leases;
    long lastUsed;
    boolean evicted;

    Entry(V value) {
      this.value = value;
    }
  }

  /** Use of one cached value; {@link #close()} releases it (idempotent). */
  static final class Lease<V extends AutoCloseable> implements AutoCloseable {
    private final ClientCache<?, V> cache;
    private final Entry<V> entry;
    private boolean released;

    private Lease(ClientCache<?, V> cache, Entry<V> entry) {
      this.cache = cache;
      this.entry = entry;
    }

    V value() {
      return entry.value;
    }

    @Override
    public synchronized void close() {
      if (!released) {
        released = true;
        cache.release(entry);
      }
    }
  }
}
