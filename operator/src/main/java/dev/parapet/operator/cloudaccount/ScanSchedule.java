package dev.parapet.operator.cloudaccount;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * Deterministic jitter of scan times: every account gets a stable fraction of a window from a hash
 * of its key (namespace/name), the same on every replica and after every restart, so accounts
 * created together (an AwsOrganization creates hundreds at once) do not keep scanning in lock step,
 * and one account's schedule does not wander from scan to scan.
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
}
