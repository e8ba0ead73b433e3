package dev.parapet.operator.aws.collect;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Token buckets of API requests, one per service and region, for the clients of one credential
 * source (one AWS account: AWS throttles per account, service and region). Every HTTP attempt,
 * retries included, takes a token before it is sent and waits when the bucket is empty; the bucket
 * refills at {@code ratePerSecond} up to {@code burst}. This bounds the request rate before AWS
 * throttles; once it does throttle, the SDK's adaptive retry strategy ({@link
 * AwsClientFactory#retryStrategy()}) lowers each client's rate further and backs off, on top. No
 * library on the operator's classpath offers a blocking token bucket from the first request (the
 * adaptive strategy's limiter only starts after the first throttling error).
 */
public final class ApiRateLimiter implements ExecutionInterceptor {

  /** Requests per second and burst; {@code ratePerSecond <= 0} means unlimited. */
  public record Limits(double ratePerSecond, int burst) {
    public static final Limits OFF = new Limits(0, 0);

    public Limits {
      if (ratePerSecond > 0 && burst < 1) {
        throw new IllegalArgumentException("burst must be >= 1 when a rate is set");
      }
    }

    public boolean on() {
      return ratePerSecond > 0;
    }
  }

  /** Waits for a number of nanoseconds (tests pass a fake that advances their clock). */
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final Limits limits;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public ApiRateLimiter(Limits limits) {
    this(limits, System::nanoTime, n -> java.util.concurrent.TimeUnit.NANOSECONDS.sleep(n));
  }

  ApiRateLimiter(Limits limits, LongSupplier nanoClock, Sleeper sleeper) {
    this.limits = limits;
    this.nanoClock = nanoClock;
    this.sleeper = sleeper;
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    var service =
        String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))
            .toLowerCase(Locale.ROOT);
    var region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
    acquire(service + "/" + (region == null ? "global" : region.id()));
  }

  /** Takes one token of {@code key}'s bucket, waiting for it when the bucket is empty. */
  void acquire(String key) {
    if (!limits.on()) {
      return;
    }
    var bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(limits, nanoClock.getAsLong()));
    long wait;
    while ((wait = bucket.tryTake(nanoClock.getAsLong())) > 0) {
      try {
        sleeper.sleepNanos(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the API rate limit", e);
      }
    }
  }

  /** Buckets in use (service/region keys). */
  int buckets() {
    return buckets.size();
  }

  /** One bucket: tokens refill continuously at the rate, capped at the burst. */
  static final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(Limits limits, long now) {
      this.perNano = limits.ratePerSecond() / 1e9;
      this.capacity = limits.burst();
      this.tokens = capacity;
      this.last = now;
    }

    /** Takes a token and returns 0, or returns how many nanoseconds until one is available. */
    synchronized long tryTake(long now) {
      if (now > last) {
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
      }
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
    }
  }
}
