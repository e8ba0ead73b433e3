package dev.parapet.operator.aws.engine;

import java.util.List;

/** The policy cannot be applied; every problem names the offending field. Nothing was scanned. */
public final class InvalidPolicyException extends ScanException {
  private final List<String> problems;

  public InvalidPolicyException(List<String> problems) {
    super("invalid cloud policy: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
