package dev.parapet.webhook.policy;

import dev.parapet.webhook.Violation;
import dev.parapet.webhook.WorkloadEvaluator;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.budget.NotFullyChecked;
import dev.parapet.webhook.rules.NotFullyCheckedRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All admission policies in force. Several policies may select one namespace; they are not
 * flattened into one: each selected policy evaluates the object on its own (so lists such as
 * forbidden ports behave as their union and booleans as OR), and a violation found by several
 * policies (same key) is reported once with the strictest enforcement (Deny > Warn > Audit) and the
 * names of every policy that found it. An exception waives only its own policy's violations. With
 * no policy at all, {@link AdmissionPolicy#defaults()} applies.
 */
public record PolicySet(List<AdmissionPolicy> policies, boolean isDefault) {
  /** Namespaces no policy ever applies to. */
  public static final Set<String> ALWAYS_EXEMPT = Set.of("kube-system");

  public PolicySet {
    policies = List.copyOf(policies);
  }

  public static PolicySet defaults() {
    return new PolicySet(List.of(AdmissionPolicy.defaults()), true);
  }

  public static PolicySet of(List<AdmissionPolicy> policies) {
    return policies.isEmpty() ? defaults() : new PolicySet(policies, false);
  }

  /** The policies selecting {@code namespace}; none for always-exempt namespaces. */
  public List<AdmissionPolicy> select(
      String namespace, Map<String, String> namespaceLabels, String ownNamespace) {
    if (namespace != null
        && (ALWAYS_EXEMPT.contains(namespace) || namespace.equals(ownNamespace))) {
      return List.of();
    }
    var ns = namespace == null ? "" : namespace;
    var out = new ArrayList<AdmissionPolicy>(policies.size());
    for (var p : policies) {
      if (namespace == null || p.appliesTo(ns, namespaceLabels)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Evaluates under every given policy and merges as described on the class. When the review's
   * deadline passes first, the result is the single {@link NotFullyCheckedRule} violation (Deny
   * under a policy that can deny, else Warn): an object that was not fully checked is never
   * reported clean, nor with only the violations found before time ran out.
   */
  public static List<Violation> evaluate(
      WorkloadReview review, List<AdmissionPolicy> selected, Instant now) {
    if (selected.isEmpty()) {
      return List.of();
    }
    try {
      review.deadline().check();
      return evaluateAll(review, selected, now);
    } catch (NotFullyChecked e) {
      return List.of(NotFullyCheckedRule.violation(review, selected, e));
    }
  }

  private static List<Violation> evaluateAll(
      WorkloadReview review, List<AdmissionPolicy> selected, Instant now) {
    if (selected.size() == 1) {
      return WorkloadEvaluator.evaluate(review, selected.get(0), now);
    }
    var merged = new LinkedHashMap<String, Violation>();
    for (var p : selected) {
      for (var v : WorkloadEvaluator.evaluate(review, p, now)) {
        if (v.exceptedBy() != null && merged.containsKey(v.key())) {
          continue;
        }
        var prev = merged.get(v.key());
        if (prev == null || prev.exceptedBy() != null) {
          merged.put(v.key(), v);
        } else {
          merged.put(
              v.key(),
              prev.withEnforcement(
                  prev.enforcement().strictest(v.enforcement()), prev.policy() + "," + v.policy()));
        }
      }
    }
    return new ArrayList<>(merged.values());
  }
}
