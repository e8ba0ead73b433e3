package dev.parapet.operator.aws.collect;

import java.time.Duration;

/**
 * How AWS clients behave: retry budget (the SDK's adaptive strategy: throttling-aware backoff and a
 * sending rate lowered after throttles), timeouts, and how many collection tasks run at once.
 * Production defaults in {@link #defaults()}; tests shorten them.
 */
public record ClientSettings(
    int maxAttempts,
    Duration baseDelay,
    Duration throttlingBaseDelay,
    Duration maxBackoff,
    Duration connectTimeout,
    Duration socketTimeout,
    Duration apiCallAttemptTimeout,
    Duration apiCallTimeout,
    int maxConcurrency) {

  public ClientSettings {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be >= 1");
    }
  }

  public static ClientSettings defaults() {
    return new ClientSettings(
        6,
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        Duration.ofSeconds(20),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofSeconds(30),
        Duration.ofMinutes(3),
        64);
  }

  public ClientSettings withMaxAttempts(int attempts) {
    return new ClientSettings(
        attempts,
        baseDelay,
        throttlingBaseDelay,
        maxBackoff,
        connectTimeout,
        socketTimeout,
        apiCallAttemptTimeout,
        apiCallTimeout,
        maxConcurrency);
  }

  public ClientSettings withBackoff(Duration base, Duration throttlingBase, Duration max) {
    return new ClientSettings(
        maxAttempts,
        base,
        throttlingBase,
        max,
        connectTimeout,
        socketTimeout,
        apiCallAttemptTimeout,
        apiCallTimeout,
        maxConcurrency);
  }

  public ClientSettings withTimeouts(Duration socket, Duration attempt, Duration call) {
    return new ClientSettings(
        maxAttempts,
        baseDelay,
        throttlingBaseDelay,
        maxBackoff,
        connectTimeout,
        socket,
        attempt,
        call,
        maxConcurrency);
  }

  public ClientSettings withMaxConcurrency(int concurrency) {
    return new ClientSettings(
        maxAttempts,
        baseDelay,
        throttlingBaseDelay,
        maxBackoff,
        connectTimeout,
        socketTimeout,
        apiCallAttemptTimeout,
        apiCallTimeout,
        concurrency);
  }
}
