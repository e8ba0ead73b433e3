package dev.parapet.webhook;

import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.policy.PolicyException;
import dev.parapet.webhook.rules.AwsAccessKeyIdRule;
import dev.parapet.webhook.rules.AwsSecretAccessKeyRule;
import dev.parapet.webhook.rules.ConfigMapCredentialsRule;
import dev.parapet.webhook.rules.ForbiddenPortRule;
import dev.parapet.webhook.rules.HostIpcRule;
import dev.parapet.webhook.rules.HostNetworkRule;
import dev.parapet.webhook.rules.HostPidRule;
import dev.parapet.webhook.rules.KnownTokenRule;
import dev.parapet.webhook.rules.SecretEnvLiteralRule;
import dev.parapet.webhook.rules.ServiceExposedPortRule;
import dev.parapet.webhook.rules.ServiceNodePortRule;
import dev.parapet.webhook.rules.WorkloadRule;
import dev.parapet.webhook.rules.pss.PodSecurityControls;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every workload rule over one object under one policy. Pure: no I/O; the admission webhook,
 * the controller's cluster audit and the CLI share it.
 */
public final class WorkloadEvaluator {
  /** The rule catalogue, in reporting order. */
  public static final List<WorkloadRule> RULES = rules();

  private static List<WorkloadRule> rules() {
    var list = new ArrayList<WorkloadRule>(baseRules());
    // Pod Security Standards controls (pss-*), on per policy by its podSecurityLevel.
    list.addAll(PodSecurityControls.RULES);
    return List.copyOf(list);
  }

  private static List<WorkloadRule> baseRules() {
    return List.of(
        new ForbiddenPortRule(),
        new HostNetworkRule(),
        new HostPidRule(),
        new HostIpcRule(),
        new ServiceNodePortRule(),
        new ServiceExposedPortRule(),
        new AwsAccessKeyIdRule(),
        new AwsSecretAccessKeyRule(),
        new KnownTokenRule(),
        new SecretEnvLiteralRule(),
        new ConfigMapCredentialsRule());
  }

  private WorkloadEvaluator() {}

  /** Violations of {@code object} under {@code policy}, including waived ones (exceptedBy set). */
  public static List<Violation> evaluate(HasMetadata object, AdmissionPolicy policy) {
    return evaluate(WorkloadReview.of(object), policy, Instant.now());
  }

  /**
   * @throws dev.parapet.webhook.budget.NotFullyChecked once the review's deadline has passed
   */
  public static List<Violation> evaluate(
      WorkloadReview review, AdmissionPolicy policy, Instant now) {
    var out = new ArrayList<Violation>();
    for (var rule : RULES) {
      review.deadline().check();
      var meta = rule.metadata();
      if (!meta.appliesTo().contains(review.kind())
          || !policy.ruleEnabled(meta.id())
          || !rule.enabled(policy)) {
        continue;
      }
      var enforcement = policy.enforcementFor(meta.id());
      rule.evaluate(
          review,
          policy,
          (container, path, key, detail) -> {
            if ((out.size() & 1023) == 1023) {
              review.deadline().check();
            }
            out.add(
                new Violation(
                    meta,
                    enforcement,
                    policy.name(),
                    review.kind(),
                    review.namespace(),
                    review.name(),
                    container,
                    path,
                    key,
                    detail,
                    exceptedBy(policy, meta.id(), review, now)));
          });
    }
    return out;
  }

  private static Waiver exceptedBy(
      AdmissionPolicy policy, String ruleId, WorkloadReview review, Instant now) {
    for (PolicyException ex : policy.exceptions()) {
      if (ex.activeAt(now)
          && ex.matchesWorkload(ruleId, review.namespace(), review.name(), review.labels())) {
        return new Waiver(ex.name(), ex.reason(), ex.expiresAt());
      }
    }
    return null;
  }
}
