package dev.parapet.webhook.rules;

import dev.parapet.core.Severity;
import java.util.Set;

/** A rule's stable id, titles and remediation (en, ja), severity and the kinds it applies to. */
public record RuleMetadata(
    String id,
    String titleEn,
    String titleJa,
    String remediationEn,
    String remediationJa,
    Severity severity,
    Set<String> appliesTo) {

  /** Every kind that carries a pod spec. */
  public static final Set<String> POD_KINDS =
      Set.of(
          "Pod",
          "Deployment",
          "StatefulSet",
          "DaemonSet",
          "ReplicaSet",
          "ReplicationController",
          "Job",
          "CronJob");

  public RuleMetadata {
    appliesTo = Set.copyOf(appliesTo);
  }
}
