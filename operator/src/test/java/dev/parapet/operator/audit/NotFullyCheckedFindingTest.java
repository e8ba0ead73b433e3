package dev.parapet.operator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.core.Severity;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.budget.Deadline;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.policy.PolicySet;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The audit evaluates through {@link PolicySet#evaluate} with a deadline: an object it could not
 * check in time becomes a not-fully-checked Finding, never no Finding.
 */
class NotFullyCheckedFindingTest {
  @Test
  void anObjectOutOfTimeBecomesANotFullyCheckedFinding() {
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("shop")
            .withUid("u-1")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("web")
            .withImage("nginx")
            .endContainer()
            .endSpec()
            .build();
    pod.setApiVersion("v1");
    pod.setKind("Pod");
    var policies = List.of(AdmissionPolicy.defaults());
    assertThat(PolicySet.evaluate(WorkloadReview.of(pod), policies, Instant.now()))
        .as("clean when there is time")
        .isEmpty();
    var violations =
        PolicySet.evaluate(
            WorkloadReview.of(pod, Deadline.of(0, 0, () -> 1)), policies, Instant.now());
    assertThat(violations).hasSize(1);
    var finding = ClusterAudit.desired(pod, violations.get(0));
    assertThat(finding.spec().rule().id()).isEqualTo("not-fully-checked");
    assertThat(finding.spec().rule().severity()).isEqualTo(Severity.HIGH);
    assertThat(finding.spec().message())
        .startsWith("Pod shop/web: not fully checked within 0 ms [rule not-fully-checked");
  }
}
