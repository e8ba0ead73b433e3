package dev.parapet.webhook.budget;

import java.util.function.LongSupplier;

/**
 * The time one evaluation may take. The scan checks it between texts, every {@link #CHECK_EVERY}
 * chars of a long text and between rules; once it has passed, {@link #check()} throws {@link
 * NotFullyChecked} and the caller reports the object as not fully checked (never as clean).
 */
public final class Deadline {
  /** Chars scanned between two checks of the clock inside one text. */
  public static final int CHECK_EVERY = 1 << 16;

  /** A deadline that never passes. */
  public static final Deadline NONE = new Deadline(() -> 0, 0, Long.MAX_VALUE);

  private final LongSupplier nanoTime;
  private final long budgetMillis;
  private final long expiresAt;

  private Deadline(LongSupplier nanoTime, long startNanos, long budgetMillis) {
    this.nanoTime = nanoTime;
    this.budgetMillis = budgetMillis;
    this.expiresAt =
        budgetMillis >= Long.MAX_VALUE / 1_000_000
            ? Long.MAX_VALUE
            : startNanos + budgetMillis * 1_000_000;
  }

  /** {@code budgetMillis} from {@code startNanos} on the clock {@code nanoTime}. */
  public static Deadline of(long budgetMillis, long startNanos, LongSupplier nanoTime) {
    if (budgetMillis < 0) {
      throw new IllegalArgumentException("negative budget " + budgetMillis);
    }
    return new Deadline(nanoTime, startNanos, budgetMillis);
  }

  /** {@code budgetMillis} from now, on {@link System#nanoTime()}. */
  public static Deadline startingNow(long budgetMillis) {
    return of(budgetMillis, System.nanoTime(), System::nanoTime);
  }

  public long budgetMillis() {
    return budgetMillis;
  }

  public boolean passed() {
    return expiresAt != Long.MAX_VALUE && nanoTime.getAsLong() - expiresAt >= 0;
  }

  /** Throws {@link NotFullyChecked} once the deadline has passed. */
  public void check() {
    if (passed()) {
      throw new NotFullyChecked(budgetMillis);
    }
  }
}
