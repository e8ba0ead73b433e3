package dev.parapet.operator.findings;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.webhook.Violation;
import dev.parapet.webhook.WorkloadEvaluator;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.budget.Deadline;
import dev.parapet.webhook.budget.NotFullyChecked;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.policy.PolicySet;
import dev.parapet.webhook.secrets.Redactor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the admission rules' violations in existing workloads into desired Finding objects ({@code
 * source: kubernetes}), exceptions applied: the cluster audit's counterpart of {@link
 * CloudFindings}, and what {@code parapet check} prints.
 */
public final class WorkloadFindings {

  /**
   * Time one object's evaluation may take in the audit: the webhook's default budget, so that an
   * object the webhook could not check is not reported clean here either.
   */
  static final long REVIEW_BUDGET_MILLIS = 2000;

  /**
   * Desired findings, the exceptions (policy/name) that waived a violation, and the earliest expiry
   * among those exceptions (null when none expires).
   */
  public record Desired(
      List<DesiredFinding> findings, Set<String> usedExceptions, Instant nextExpiry) {}

  private WorkloadFindings() {}

  /**
   * The findings of {@code objects}: each one in a namespace not {@code excluded} and not audited
   * through its owner is evaluated under the policies selecting its namespace.
   */
  public static Desired desired(
      Iterable<? extends HasMetadata> objects,
      PolicySet policies,
      Function<String, Map<String, String>> namespaceLabels,
      Collection<String> excluded,
      Instant now) {
    var desired = new ArrayList<DesiredFinding>();
    var usedExceptions = new HashSet<String>();
    Instant nextExpiry = null;
    for (var obj : objects) {
      var ns = obj.getMetadata().getNamespace();
      if (ns == null || excluded.contains(ns) || auditedThroughOwner(obj)) {
        continue;
      }
      var selected = policies.select(ns, namespaceLabels.apply(ns), null);
      if (selected.isEmpty()) {
        continue;
      }
      var review = WorkloadReview.of(obj, Deadline.startingNow(REVIEW_BUDGET_MILLIS));
      // An object not checked within the budget gets a not-fully-checked Finding, never none.
      var violations = PolicySet.evaluate(review, selected, now);
      for (var v : violations) {
        desired.add(desired(obj, v));
        var w = v.exceptedBy();
        if (w != null
            && w.expiresAt() != null
            && (nextExpiry == null || w.expiresAt().isBefore(nextExpiry))) {
          nextExpiry = w.expiresAt();
        }
      }
      recordExceptionUse(review, selected, violations, now, usedExceptions);
    }
    return new Desired(desired, usedExceptions, nextExpiry);
  }

  /**
   * Adds {@code policy/exception} for every exception that waived a violation of this object (under
   * each selected policy on its own, as the webhook decides: the first active exception of that
   * policy matching the rule and object).
   */
  private static void recordExceptionUse(
      WorkloadReview review,
      List<AdmissionPolicy> selected,
      List<Violation> merged,
      Instant now,
      Set<String> used) {
    for (var policy : selected) {
      if (policy.exceptions().isEmpty()) {
        continue;
      }
      List<Violation> violations;
      try {
        violations =
            selected.size() == 1 ? merged : WorkloadEvaluator.evaluate(review, policy, now);
      } catch (NotFullyChecked e) {
        return; // out of time: no exception is known to be in use for this object
      }
      for (var v : violations) {
        if (v.exceptedBy() != null) {
          used.add(policy.name() + "/" + v.exceptedBy().name());
        }
      }
    }
  }

  /**
   * Controller owners whose own audit already covers an object, by the object's kind: a Pod is
   * audited through its ReplicaSet, Job, StatefulSet or DaemonSet (their pod template), a
   * ReplicaSet through its Deployment, a Job through its CronJob. Objects controlled by anything
   * else (another operator's custom resource, an Argo Rollout) are audited themselves.
   */
  private static final Map<String, Set<String>> AUDITED_OWNERS =
      Map.of(
          "Pod",
          Set.of("apps/ReplicaSet", "batch/Job", "apps/StatefulSet", "apps/DaemonSet"),
          "ReplicaSet",
          Set.of("apps/Deployment"),
          "Job",
          Set.of("batch/CronJob"));

  /** True when the object's controller is a workload whose audit already covers the object. */
  public static boolean auditedThroughOwner(HasMetadata obj) {
    var owners = AUDITED_OWNERS.get(obj.getKind());
    var refs = obj.getMetadata().getOwnerReferences();
    if (owners == null || refs == null) {
      return false;
    }
    for (var r : refs) {
      if (Boolean.TRUE.equals(r.getController())
          && r.getApiVersion() != null
          && owners.contains(group(r.getApiVersion()) + "/" + r.getKind())) {
        return true;
      }
    }
    return false;
  }

  private static String group(String apiVersion) {
    var slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The Finding the audit writes for one violation (the CLI's check prints it). */
  public static DesiredFinding desired(HasMetadata obj, Violation v) {
    var meta = v.rule();
    var kind = obj.getKind();
    var labels = new HashMap<String, String>();
    labels.put(Finding.LABEL_SEVERITY, meta.severity().wireValue());
    labels.put(Finding.LABEL_RULE, FindingNames.labelValue(meta.id()));
    labels.put(Finding.LABEL_SOURCE, FindingSpec.Source.KUBERNETES.wireValue());
    var spec =
        new FindingSpec(
            FindingSpec.Source.KUBERNETES,
            new FindingSpec.Rule(
                meta.id(),
                meta.titleEn(),
                meta.titleJa(),
                meta.severity(),
                CloudFindings.compliance(meta)),
            new FindingSpec.Resource(
                obj.getApiVersion() + " " + kind,
                kind + "/" + obj.getMetadata().getName(),
                null,
                null,
                null,
                obj.getApiVersion(),
                kind,
                obj.getMetadata().getNamespace(),
                obj.getMetadata().getName()),
            Redactor.redact(v.message()),
            new FindingSpec.Remediation(
                meta.remediationEn(), meta.remediationJa(), meta.remediationUrl()));
    var owner =
        new OwnerReferenceBuilder()
            .withApiVersion(obj.getApiVersion())
            .withKind(kind)
            .withName(obj.getMetadata().getName())
            .withUid(obj.getMetadata().getUid())
            .withBlockOwnerDeletion(false)
            .build();
    var suppressed =
        v.exceptedBy() == null
            ? null
            : new FindingStatus.SuppressedBy(
                v.policy(),
                v.exceptedBy().name(),
                v.exceptedBy().reason(),
                v.exceptedBy().expiresAt() == null ? null : v.exceptedBy().expiresAt().toString());
    return new DesiredFinding(
        obj.getMetadata().getNamespace(),
        FindingNames.name(
            meta.id(),
            kind
                + "/"
                + obj.getMetadata().getNamespace()
                + "/"
                + obj.getMetadata().getName()
                + "#"
                + v.key()),
        labels,
        spec,
        owner,
        suppressed);
  }
}
