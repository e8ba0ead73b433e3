package dev.parapet.webhook.policy;

/** A policy that cannot be used, naming the exact field and what is wrong with it. */
public class InvalidPolicyException extends RuntimeException {
  private final String field;

  public InvalidPolicyException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
