package dev.parapet.operator.aws.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientCacheTest {
  private final AtomicLong now = new AtomicLong();
  private final List<Value> created = new ArrayList<>();

  private ClientCache<String, Value> cache(int max, Duration idle) {
    return new ClientCache<>(
        max,
        idle,
        now::get,
        key -> {
          var v = new Value(key);
          created.add(v);
          return v;
        });
  }

  @Test
  void sameKeyGivesTheSameValueAndOtherKeysOtherValues() {
    try (var cache = cache(4, Duration.ofHours(1))) {
      var a1 = cache.acquire("a");
      var a2 = cache.acquire("a");
      var b = cache.acquire("b");
      assertThat(a1.value()).isSameAs(a2.value());
      assertThat(b.value()).isNotSameAs(a1.value());
      assertThat(created).hasSize(2);
    }
  }

  @Test
  void leastRecentlyUsedIsEvictedAndClosedBeyondTheBound() {
    try (var cache = cache(2, Duration.ofHours(1))) {
      cache.acquire("a").close();
      now.addAndGet(10);
      cache.acquire("b").close();
      now.addAndGet(10);
      cache.acquire("a").close(); // a is now more recent than b
      now.addAndGet(10);
      cache.acquire("c").close();
      assertThat(cache.size()).isEqualTo(2);
      assertThat(created.get(1).key).isEqualTo("b");
      assertThat(created.get(1).closes).isEqualTo(1);
      assertThat(created.get(0).closes).isZero();
      // b comes back as a new value.
      try (var b = cache.acquire("b")) {
        assertThat(b.value()).isNotSameAs(created.get(1));
      }
    }
  }

  @Test
  void anEvictedValueInUseIsClosedOnlyWhenItsLastLeaseIsReleased() {
    try (var cache = cache(1, Duration.ofHours(1))) {
      var a = cache.acquire("a");
      var a2 = cache.acquire("a");
      cache.acquire("b").close();
      assertThat(a.value().closes).isZero();
      a.close();
      a.close(); // releasing twice counts once
      assertThat(a2.value().closes).isZero();
      a2.close();
      assertThat(a2.value().closes).isEqualTo(1);
    }
  }

  @Test
  void idleValuesExpireAndAreClosedButLeasedOnesStay() {
    try (var cache = cache(8, Duration.ofMinutes(10))) {
      cache.acquire("idle").close();
      var busy = cache.acquire("busy");
      now.addAndGet(Duration.ofMinutes(11).toNanos());
      cache.acquire("other").close();
      assertThat(created.get(0).closes).isEqualTo(1);
      assertThat(busy.value().closes).isZero();
      assertThat(cache.size()).isEqualTo(2);
      busy.close();
    }
  }

  @Test
  void closingTheCacheClosesEveryValueOnceAndRefusesNewLeases() {
    var cache = cache(8, Duration.ofHours(1));
    var a = cache.acquire("a");
    cache.acquire("b").close();
    cache.close();
    a.close();
    assertThat(created).allSatisfy(v -> assertThat(v.closes).isEqualTo(1));
    assertThatThrownBy(() -> cache.acquire("c")).isInstanceOf(IllegalStateException.class);
  }

  private static final class Value implements AutoCloseable {
    final String key;
    int closes;

    Value(String key) {
      this.key = key;
    }

    @Override
    public void close() {
      closes++;
    }
  }

  @Test
  void whenIdleIsToldOnceTheLastLeaseOfACachedValueIsReleased() {
    var idle = new ArrayList<String>();
    try (var cache =
        new ClientCache<String, Value>(
            1, Duration.ofHours(1), now::get, Value::new, v -> idle.add(v.key))) {
      var a1 = cache.acquire("a");
      var a2 = cache.acquire("a");
      a1.close();
      assertThat(idle).isEmpty();
      a2.close();
      a2.close(); // idempotent
      assertThat(idle).containsExactly("a");
      // An evicted value is closed when released, not told it is idle.
      var a3 = cache.acquire("a");
      cache.acquire("b").close();
      assertThat(idle).containsExactly("a", "b");
      a3.close();
      assertThat(idle).containsExactly("a", "b");
    }
  }
}
