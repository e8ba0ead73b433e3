package dev.parapet.webhook.budget;

/**
 * Thrown by {@link Deadline#check()}: the evaluation ran out of time and its result must not be
 * read as clean. Caught where the evaluation starts ({@code PolicySet.evaluate}) and turned into a
 * "not fully checked" violation.
 */
public final class NotFullyChecked extends RuntimeException {
  private final long budgetMillis;

  public NotFullyChecked(long budgetMillis) {
    super("not fully checked within " + budgetMillis + " ms", null, false, false);
    this.budgetMillis = budgetMillis;
  }

  public long budgetMillis() {
    return budgetMillis;
  }
}
