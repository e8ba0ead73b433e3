package dev.parapet.operator.cli;

import dev.parapet.api.v1alpha1.Finding;

/**
 * A finding as the CLI reports it: the Finding object the operator would write, and where it came
 * from when that is a file (for {@code check}); file and line are null for cloud findings.
 */
public record Reported(Finding finding, String file, Integer line) {

  public static Reported of(Finding finding) {
    return new Reported(finding, null, null);
  }
}
