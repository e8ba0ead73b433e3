package dev.parapet.webhook.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A policy that cannot be used, naming every invalid field and what is wrong with it ({@link
 * #field()} is the first).
 */
public class InvalidPolicyException extends RuntimeException {
  private final List<PolicyValidator.Problem> problems;

  public InvalidPolicyException(String field, String problem) {
    this(List.of(new PolicyValidator.Problem(field, problem)));
  }

  /** Every problem of one policy, in the validator's order; at least one. */
  public InvalidPolicyException(List<PolicyValidator.Problem> problems) {
    super(
        problems.stream().map(PolicyValidator.Problem::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public String field() {
    return problems.get(0).field();
  }

  public List<PolicyValidator.Problem> problems() {
    return problems;
  }
}
