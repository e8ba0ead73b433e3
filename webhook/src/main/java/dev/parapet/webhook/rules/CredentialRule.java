package dev.parapet.webhook.rules;

import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.WorkloadReview.CredentialHit;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.policy.ScanLocation;
import dev.parapet.webhook.secrets.CustomDetector;
import dev.parapet.webhook.secrets.SecretDetectors;
import dev.parapet.webhook.secrets.Shown;
import java.util.Set;

/** Shared shape of the rules that report detector hits; each subclass picks its hits. */
abstract class CredentialRule implements WorkloadRule {
  /** Credentials are looked for in pod specs and in the annotations of every kind. */
  static final Set<String> ALL_KINDS =
      Set.of(
          "Pod",
          "Deployment",
          "StatefulSet",
          "DaemonSet",
          "ReplicaSet",
          "ReplicationController",
          "Job",
          "CronJob",
          "Service",
          "ConfigMap");

  abstract boolean reports(CredentialHit hit);

  @Override
  public boolean enabled(AdmissionPolicy policy) {
    return (!policy.detectors().isEmpty() || !policy.customDetectors().isEmpty())
        && !policy.scan().isEmpty();
  }

  @Override
  public void evaluate(WorkloadReview review, AdmissionPolicy policy, Findings out) {
    for (var hit :
        review.credentials(policy.detectors(), policy.customDetectors(), policy.scan())) {
      if (reports(hit)) {
        out.add(
            hit.container(),
            hit.fieldPath(),
            metadata().id()
                + "/"
                + hit.container()
                + "/"
                + hit.location()
                + "/"
                + hit.subject()
                + "/"
                + hit.redacted(),
            describe(hit));
      }
    }
  }

  /** E.g. {@code container "app" (spec.containers[0].env[1].value) env X holds a literal ...}. */
  static String describe(CredentialHit hit) {
    var detector = SecretDetectors.byId(hit.detectorId());
    var title =
        detector != null
            ? detector.title()
            : "credential (custom detector "
                + hit.detectorId().substring(CustomDetector.ID_PREFIX.length())
                + ")";
    var where =
        switch (hit.location()) {
          case env ->
              "container \""
                  + Shown.name(hit.container())
                  + "\" ("
                  + hit.fieldPath()
                  + ") env "
                  + Shown.name(hit.subject());
          case args ->
              "container \"" + Shown.name(hit.container()) + "\" (" + hit.fieldPath() + ")";
          case annotations ->
              "annotation \"" + Shown.name(hit.subject()) + "\" (" + hit.fieldPath() + ")";
          case configMaps -> "key \"" + Shown.name(hit.subject()) + "\" (" + hit.fieldPath() + ")";
        };
    var what = " holds a literal " + title + " " + hit.redacted();
    if (hit.pairedKeyId() != null) {
      what += " paired with " + hit.pairedKeyId();
    }
    return where + what;
  }

  static boolean inPodOrAnnotations(CredentialHit hit) {
    return hit.location() != ScanLocation.configMaps;
  }
}
