package dev.parapet.operator.findings;

import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Map;

/**
 * A finding that should exist after this scan: name, labels, spec, owner, and the exception that
 * suppresses it (null when it is Open).
 */
public record DesiredFinding(
    String namespace,
    String name,
    Map<String, String> labels,
    FindingSpec spec,
    OwnerReference owner,
    FindingStatus.SuppressedBy suppressedBy) {

  public DesiredFinding {
    labels = Map.copyOf(labels);
  }

  /** Open or Suppressed. */
  public FindingStatus.State state() {
    return suppressedBy == null ? FindingStatus.State.OPEN : FindingStatus.State.SUPPRESSED;
  }
}
