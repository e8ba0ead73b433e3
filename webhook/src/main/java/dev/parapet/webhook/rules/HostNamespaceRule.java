package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.policy.AdmissionPolicy;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.function.Function;
import java.util.function.Predicate;

/** A pod spec flag that shares a host namespace (hostNetwork, hostPID, hostIPC) when true. */
abstract class HostNamespaceRule implements WorkloadRule {
  private final RuleMetadata metadata;
  private final String field;
  private final Predicate<AdmissionPolicy> forbidden;
  private final Function<PodSpec, Boolean> flag;

  HostNamespaceRule(
      RuleMetadata metadata,
      String field,
      Predicate<AdmissionPolicy> forbidden,
      Function<PodSpec, Boolean> flag) {
    this.metadata = metadata;
    this.field = field;
    this.forbidden = forbidden;
    this.flag = flag;
  }

  @Override
  public RuleMetadata metadata() {
    return metadata;
  }

  @Override
  public boolean enabled(AdmissionPolicy policy) {
    return forbidden.test(policy);
  }

  @Override
  public void evaluate(WorkloadReview review, AdmissionPolicy policy, Findings out) {
    for (var ps : review.podSpecs()) {
      if (Boolean.TRUE.equals(flag.apply(ps.spec()))) {
        var path = ps.path() + "." + field;
        out.add(null, path, metadata.id(), "pod (" + path + ") sets " + field + ": true");
      }
    }
  }
}
