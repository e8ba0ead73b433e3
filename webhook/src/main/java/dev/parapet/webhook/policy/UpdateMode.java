package dev.parapet.webhook.policy;

/** On UPDATE, what a violation already present in the old object does. */
public enum UpdateMode {
  /** It is still reported (as a warning) but never blocks the update. */
  Allow,
  /** It is treated like a new violation. */
  Block
}
