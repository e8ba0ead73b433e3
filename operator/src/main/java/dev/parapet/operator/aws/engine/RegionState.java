package dev.parapet.operator.aws.engine;

import java.util.List;

/**
 * How collection went in one region ({@code global} for account-wide data): {@code Complete},
 * {@code Partial} (some datasets unknown) or {@code Failed} (all unknown), with the first error.
 */
public record RegionState(String region, State state, String error) {

  /** Collection outcome. */
  public enum State {
    Complete,
    Partial,
    Failed
  }

  static RegionState of(String region, int known, List<String> errors) {
    if (errors.isEmpty()) {
      return new RegionState(region, State.Complete, null);
    }
    return new RegionState(region, known == 0 ? State.Failed : State.Partial, errors.get(0));
  }
}
