package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Condition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Deterministic jitter of scan times: every account gets a stable fraction of a window from a hash
 * of its key (namespace/name), the same on every replica and after every restart, so accounts
 * created together (an AwsOrganization creates hundreds at once) do not keep scanning in lock step,
 * and one account's schedule does not wander from scan to scan.
 *
 * <p>The schedule itself lives in memory ({@link ScanCoordinator}); after a controller restart or a
 * shard move the new process has none. Its first decision per account ({@link #firstDue}) comes
 * from the account's persisted status instead, so a restart neither rescans every account at once
 * nor forgets when each was scanned.
 */
public final class ScanSchedule {

  private ScanSchedule() {}

  /** A stable fraction in [0, 1) of {@code key}. */
  static double fraction(String key) {
    try {
      var digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      long bits = 0;
      for (int i = 0; i < 7; i++) {
        bits = (bits << 8) | (digest[i] & 0xff);
      }
      return bits / (double) (1L << 56);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The delay added to an account's interval: its stable fraction of {@code min(interval / 10,
   * maxJitter)}, so the interval is stretched by at most a tenth and never by more than {@code
   * maxJitter}. Zero when {@code maxJitter} is zero.
   */
  public static Duration jitter(String key, Duration interval, Duration maxJitter) {
    if (maxJitter.isZero() || maxJitter.isNegative()) {
      return Duration.ZERO;
    }
    var window = interval.dividedBy(10);
    if (maxJitter.compareTo(window) < 0) {
      window = maxJitter;
    }
    return Duration.ofMillis((long) (fraction(key) * window.toMillis()));
  }

  /**
   * The last scan as the persisted status tells it: when it finished and whether it failed
   * (Ready=False: the scan could not run, retried sooner).
   */
  public record Persisted(Instant finishedAt, boolean failed) {}

  /**
   * The last scan of the account's current generation, from its status; empty when the status has
   * none: never scanned, {@code lastScan.finishedAt} missing or unreadable, the spec changed since
   * (status or Ready condition of another generation), or Ready is not a scan's verdict (Unknown:
   * the first scan was queued or running when the previous process stopped; Suspended, InvalidSpec,
   * DuplicateAccount: no scan ran).
   */
  public static Optional<Persisted> persisted(CloudAccount account) {
    var status = account.getStatus();
    var generation = account.getMetadata().getGeneration();
    if (status == null
        || status.lastScan() == null
        || status.lastScan().finishedAt() == null
        || status.conditions() == null
        || generation == null
        || !generation.equals(status.observedGeneration())) {
      return Optional.empty();
    }
    var ready =
        status.conditions().stream()
            .filter(c -> StatusAggregator.READY.equals(c.type()))
            .findFirst()
            .orElse(null);
    if (ready == null
        || !generation.equals(ready.observedGeneration())
        || Condition.UNKNOWN.equals(ready.status())
        || "Suspended".equals(ready.reason())
        || StatusAggregator.INVALID_SPEC.equals(ready.reason())
        || StatusAggregator.DUPLICATE_ACCOUNT.equals(ready.reason())) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Persisted(
              Instant.parse(status.lastScan().finishedAt()),
              Condition.FALSE.equals(ready.status())));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * When an account is first due in a process that has no schedule for it yet (after a restart or a
   * shard move; {@code firstSeen} is when this process first considered it):
   *
   * <ul>
   *   <li>never scanned (no {@code persisted} scan): at once, as a new account: the FIFO pool of
   *       {@code parapet.scan.concurrency} bounds how many run together;
   *   <li>scanned within its interval: when it would have been due anyway, {@code finishedAt +
   *       interval + jitter} ({@code failedRetry} in place of a longer interval when the scan
   *       failed);
   *   <li>overdue: at a stable fraction of the spread window {@code min(interval, maxJitter)} after
   *       {@code firstSeen}, so the overdue accounts of a restart start spread over that window,
   *       not all at once; each still starts within the window (plus its wait in the queue).
   * </ul>
   *
   * Partial by design: the policy fingerprint is not persisted, so a PosturePolicy changed while no
   * controller ran is scanned with at the account's next due time, not at once. The status timing
   * may lag by up to {@code parapet.scan.status-timing-refresh} (it is not rewritten for unchanged
   * rescans); such an account looks overdue and is spread, never scanned later than due.
   */
  public static Instant firstDue(
      String key,
      Optional<Persisted> persisted,
      Duration interval,
      Duration failedRetry,
      Duration maxJitter,
      Instant firstSeen) {
    if (persisted.isEmpty()) {
      return firstSeen;
    }
    var last = persisted.get();
    var effective = last.failed() && interval.compareTo(failedRetry) > 0 ? failedRetry : interval;
    var scheduled = last.finishedAt().plus(effective).plus(jitter(key, effective, maxJitter));
    if (scheduled.isAfter(firstSeen)) {
      return scheduled;
    }
    return firstSeen.plus(spread(key, effective, maxJitter));
  }

  /**
   * An overdue account's offset after a restart: its stable fraction of {@code min(interval,
   * maxJitter)}; zero when jitter is off.
   */
  static Duration spread(String key, Duration interval, Duration maxJitter) {
    if (maxJitter.isZero() || maxJitter.isNegative()) {
      return Duration.ZERO;
    }
    var window = maxJitter.compareTo(interval) < 0 ? maxJitter : interval;
    // A different hash input than jitter(): the two offsets are independent of each other.
    return Duration.ofMillis((long) (fraction("restart:" + key) * window.toMillis()));
  }
}
