package dev.parapet.webhook;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.core.RuleMetadata;

/**
 * One rule violated by one object under one policy. {@code detail} and {@link #message()} are
 * redacted; {@code key} identifies the violation across object versions (rule + container +
 * subject, without list indexes). {@code exceptedBy} is the exception of {@code policy} that waives
 * it, or null.
 */
public record Violation(
    RuleMetadata rule,
    Enforcement enforcement,
    String policy,
    String kind,
    String namespace,
    String name,
    String container,
    String fieldPath,
    String key,
    String detail,
    Waiver exceptedBy) {

  /** The full one-line message: object, where, what, rule, policy and the fix. */
  public String message() {
    var ns = namespace == null || namespace.isEmpty() ? "" : namespace + "/";
    return kind
        + " "
        + ns
        + name
        + ": "
        + detail
        + " [rule "
        + rule.id()
        + ", policy "
        + policy
        + "]: "
        + rule.remediationEn();
  }

  public Violation withEnforcement(Enforcement e, String policies) {
    return new Violation(
        rule, e, policies, kind, namespace, name, container, fieldPath, key, detail, exceptedBy);
  }
}
