package dev.parapet.operator.aws.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The token bucket on a fake clock: waiting advances the clock instead of sleeping, so the bound is
 * checked by counting requests per clock reading, never by wall-clock timing.
 */
class ApiRateLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong(5 * SECOND);

  private ApiRateLimiter limiter(double rate, int burst) {
    return new ApiRateLimiter(new ApiRateLimiter.Limits(rate, burst), clock::get, clock::addAndGet);
  }

  @Test
  void noMoreThanBurstPlusRateTimesElapsedEverGoThrough() {
    var limiter = limiter(10, 5);
    var start = clock.get();
    var times = new ArrayList<Long>();
    for (int i = 0; i < 200; i++) {
      limiter.acquire("ec2/us-east-1");
      times.add(clock.get() - start);
    }
    for (int i = 0; i < times.size(); i++) {
      var elapsedSeconds = times.get(i) / (double) SECOND;
      assertThat(i + 1)
          .as("requests by %.3fs", elapsedSeconds)
          .isLessThanOrEqualTo((int) Math.floor(5 + 10 * elapsedSeconds + 1e-9));
    }
    // The first five go at once (the burst); the other 195 take 19.5 s at 10 per second.
    assertThat(times.subList(0, 5)).containsOnly(0L);
    assertThat(times.get(199) / (double) SECOND).isBetween(19.5, 19.6);
  }

  @Test
  void eachServiceAndRegionHasItsOwnBucket() {
    var limiter = limiter(1, 2);
    var start = clock.get();
    limiter.acquire("ec2/us-east-1");
    limiter.acquire("ec2/us-east-1");
    // ec2 in us-east-1 is empty now; other services and regions still have their burst.
    limiter.acquire("ec2/eu-west-1");
    limiter.acquire("iam/global");
    limiter.acquire("iam/global");
    assertThat(clock.get()).isEqualTo(start);
    limiter.acquire("ec2/us-east-1");
    assertThat(clock.get() - start).isEqualTo(SECOND);
    assertThat(limiter.buckets()).isEqualTo(3);
  }

  @Test
  void aQuietSpellRefillsAtMostTheBurst() {
    var limiter = limiter(2, 3);
    for (int i = 0; i < 3; i++) {
      limiter.acquire("sns/us-east-1");
    }
    clock.addAndGet(60 * SECOND); // a minute idle refills 3 tokens, not 120
    var before = clock.get();
    for (int i = 0; i < 4; i++) {
      limiter.acquire("sns/us-east-1");
    }
    assertThat(clock.get() - before).isEqualTo(SECOND / 2);
  }

  @Test
  void offLetsEverythingThrough() {
    var limiter =
        new ApiRateLimiter(ApiRateLimiter.Limits.OFF, clock::get, n -> clock.addAndGet(n));
    var start = clock.get();
    for (int i = 0; i < 1000; i++) {
      limiter.acquire("ec2/us-east-1");
    }
    assertThat(clock.get()).isEqualTo(start);
  }
}
