package dev.parapet.operator.findings;

import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.api.v1alpha1.Finding;
import java.util.List;

/**
 * The minimal writes that bring the cluster to the desired findings. Empty lists everywhere mean an
 * unchanged rescan: nothing is written.
 *
 * @param creates new findings, with the status to set right after creation
 * @param specUpdates existing findings whose spec or labels changed (status untouched)
 * @param statusUpdates existing or created findings whose status changed
 * @param deletes resolved findings past their retention
 * @param newlyOpen findings that became Open in this plan (created or reopened), for Events
 */
public record FindingPlan(
    List<Finding> creates,
    List<Finding> specUpdates,
    List<Finding> statusUpdates,
    List<Finding> deletes,
    List<Finding> newlyOpen,
    CloudAccountStatus.FindingCounts counts) {

  /** Number of API writes the plan needs (a create also writes its status). */
  public int writeCount() {
    return creates.size() * 2 + specUpdates.size() + statusUpdates.size() + deletes.size();
  }

  public boolean isEmpty() {
    return writeCount() == 0;
  }
}
