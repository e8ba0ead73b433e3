package dev.parapet.webhook.policy;

/** What a violation does at admission: Deny blocks, Warn tells the user, Audit only records. */
public enum Enforcement {
  Audit,
  Warn,
  Deny;

  /** The stricter of two enforcements (Deny > Warn > Audit). */
  public Enforcement strictest(Enforcement other) {
    return other != null && other.ordinal() > ordinal() ? other : this;
  }
}
