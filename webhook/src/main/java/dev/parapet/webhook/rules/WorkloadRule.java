package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.policy.AdmissionPolicy;

/** One workload check: its metadata and a pure evaluation. */
public interface WorkloadRule {
  RuleMetadata metadata();

  /** Whether the policy turns this rule on at all (e.g. a non-empty port list). */
  boolean enabled(AdmissionPolicy policy);

  /** Reports each violation of {@code review} under {@code policy} to {@code out}. */
  void evaluate(WorkloadReview review, AdmissionPolicy policy, Findings out);

  /** Where a rule reports: container (nullable), field path, identity key and redacted detail. */
  interface Findings {
    void add(String container, String fieldPath, String key, String detail);
  }
}
