package dev.parapet.webhook;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.webhook.budget.Deadline;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.policy.PolicySet;
import dev.parapet.webhook.policy.UpdateMode;
import dev.parapet.webhook.rules.NotFullyCheckedRule;
import java.time.Clock;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the policies selecting a request's namespace say about its object: exempt, allowed, audited,
 * warned or denied, with the messages to return and the violations to count. Violations already
 * present in the old object of an UPDATE are downgraded from Deny to Warn where the policy allows
 * existing violations. Writes nothing: {@link AdmissionResponses} turns the outcome into the
 * response.
 */
final class AdmissionDecision {

  /**
   * One decision: its label ("exempt", "allowed", "audited", "warned", "denied"), the deny and warn
   * messages (built lazily), the violations not excepted, and those the metrics count (each with
   * the enforcement it really had).
   */
  record Outcome(
      String decision,
      List<String> deny,
      List<String> warn,
      List<Violation> active,
      List<Violation> counted) {}

  /** The answer for a request that could not be evaluated, by what its policies could do. */
  enum Unevaluated {
    /** No policy selects the namespace: nothing would have been checked. */
    EXEMPT,
    /** A selected policy can deny. */
    DENY,
    /** Selected policies only warn or audit. */
    WARN
  }

  private final Supplier<PolicySet> policies;
  private final Function<String, Map<String, String>> namespaceLabels;
  private final String ownNamespace;
  private final Clock clock;

  AdmissionDecision(
      Supplier<PolicySet> policies,
      Function<String, Map<String, String>> namespaceLabels,
      String ownNamespace,
      Clock clock) {
    this.policies = policies;
    this.namespaceLabels = namespaceLabels;
    this.ownNamespace = ownNamespace;
    this.clock = clock;
  }

  private List<AdmissionPolicy> select(String namespace) {
    var labels = namespaceLabels.apply(namespace == null ? "" : namespace);
    return policies.get().select(namespace, labels, ownNamespace);
  }

  Outcome decide(RequestParser.Parsed p, Deadline deadline) {
    var selected = select(p.namespace());
    if (selected.isEmpty()) {
      return new Outcome("exempt", List.of(), List.of(), List.of(), List.of());
    }
    var now = clock.instant();
    var violations = PolicySet.evaluate(WorkloadReview.of(p.object(), deadline), selected, now);
    var active = new ArrayList<Violation>(violations.size());
    for (var v : violations) {
      if (v.exceptedBy() == null) {
        active.add(v);
      }
    }
    if (active.isEmpty()) {
      return new Outcome("allowed", List.of(), List.of(), active, violations);
    }
    var preExisting = new HashSet<String>();
    if (p.oldObject() != null) {
      for (var v : PolicySet.evaluate(WorkloadReview.of(p.oldObject(), deadline), selected, now)) {
        preExisting.add(v.key());
      }
    }
    var deny = new Messages();
    var warn = new Messages();
    boolean audit = false;
    // What the metrics count: each violation with the enforcement it really had here.
    var counted = new ArrayList<Violation>(violations.size());
    for (var v : violations) {
      if (v.exceptedBy() != null) {
        counted.add(v);
        continue;
      }
      var e = v.enforcement();
      boolean before = false;
      // Running out of time is never "present before": it would let any update through unchecked.
      if (preExisting.contains(v.key())
          && v.rule() != NotFullyCheckedRule.METADATA
          && allowsExisting(selected, v.policy())) {
        before = true;
        if (e == Enforcement.DENY) {
          e = Enforcement.WARN;
        }
      }
      counted.add(e == v.enforcement() ? v : v.withEnforcement(e, v.policy()));
      switch (e) {
        case DENY -> deny.add(v, before);
        case WARN -> warn.add(v, before);
        case AUDIT -> audit = true;
      }
    }
    String decision;
    if (!deny.isEmpty()) {
      decision = "denied";
    } else {
      decision = warn.isEmpty() ? (audit ? "audited" : "allowed") : "warned";
    }
    return new Outcome(decision, deny, warn, active, counted);
  }

  /**
   * What the policies of {@code namespace} make of an object that could not be checked (see {@link
   * AdmissionResponses#unevaluated}).
   *
   * @throws RuntimeException when the policies cannot be selected
   */
  Unevaluated unevaluated(String namespace) {
    var selected = select(namespace);
    if (selected.isEmpty()) {
      return Unevaluated.EXEMPT;
    }
    return selected.stream().anyMatch(AdmissionPolicy::canDeny)
        ? Unevaluated.DENY
        : Unevaluated.WARN;
  }

  private static boolean allowsExisting(List<AdmissionPolicy> selected, String policyNames) {
    for (var name : policyNames.split(",")) {
      for (var p : selected) {
        if (p.name().equals(name) && p.existingViolationsOnUpdate() == UpdateMode.Block) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The messages of a decision, built only when read: a request may hold a hundred thousand
   * violations, of which only the first few are shown (the metrics count them all).
   */
  private static final class Messages extends AbstractList<String> {
    private final List<Violation> violations = new ArrayList<>();
    private final BitSet presentBefore = new BitSet();

    void add(Violation v, boolean before) {
      presentBefore.set(violations.size(), before);
      violations.add(v);
    }

    @Override
    public String get(int i) {
      var msg = violations.get(i).message();
      return presentBefore.get(i) ? msg + " (present before this update; not blocking it)" : msg;
    }

    @Override
    public int size() {
      return violations.size();
    }
  }
}
