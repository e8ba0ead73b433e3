package dev.parapet.operator.findings;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

/** Which controller owners make the audit skip an object (their own audit covers it). */
class AuditOwnershipTest {

  static <T extends HasMetadata> T ownedBy(
      T obj, String apiVersion, String kind, Boolean controller) {
    obj.getMetadata()
        .setOwnerReferences(
            java.util.List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(apiVersion)
                    .withKind(kind)
                    .withName("owner")
                    .withUid("u-1")
                    .withController(controller)
                    .build()));
    return obj;
  }

  static <T extends HasMetadata> T named(T obj) {
    obj.getMetadata().setName("x");
    obj.getMetadata().setNamespace("ns");
    return obj;
  }

  @Test
  void podsReplicaSetsAndJobsOfAuditedWorkloadsAreSkipped() {
    var pod = named(new PodBuilder().withNewMetadata().endMetadata().build());
    assertThat(WorkloadFindings.auditedThroughOwner(ownedBy(pod, "apps/v1", "ReplicaSet", true)))
        .isTrue();
    assertThat(WorkloadFindings.auditedThroughOwner(ownedBy(pod, "batch/v1", "Job", true)))
        .isTrue();
    assertThat(WorkloadFindings.auditedThroughOwner(ownedBy(pod, "apps/v1", "StatefulSet", true)))
        .isTrue();
    assertThat(WorkloadFindings.auditedThroughOwner(ownedBy(pod, "apps/v1", "DaemonSet", true)))
        .isTrue();
    var rs = named(new ReplicaSetBuilder().withNewMetadata().endMetadata().build());
    assertThat(WorkloadFindings.auditedThroughOwner(ownedBy(rs, "apps/v1", "Deployment", true)))
        .isTrue();
    var job = named(new JobBuilder().withNewMetadata().endMetadata().build());
    assertThat(WorkloadFindings.auditedThroughOwner(ownedBy(job, "batch/v1", "CronJob", true)))
        .isTrue();
  }

  @Test
  void objectsControlledByAnythingElseAreAuditedThemselves() {
    var rs = named(new ReplicaSetBuilder().withNewMetadata().endMetadata().build());
    assertThat(WorkloadFindings.auditedThroughOwner(rs)).isFalse();
    assertThat(
            WorkloadFindings.auditedThroughOwner(
                ownedBy(rs, "argoproj.io/v1alpha1", "Rollout", true)))
        .isFalse();
    var deployment = named(new DeploymentBuilder().withNewMetadata().endMetadata().build());
    assertThat(
            WorkloadFindings.auditedThroughOwner(
                ownedBy(deployment, "example.com/v1", "Widget", true)))
        .isFalse();
    var pod = named(new PodBuilder().withNewMetadata().endMetadata().build());
    // A kind of the same name in another API group is not the workload the audit evaluates.
    assertThat(
            WorkloadFindings.auditedThroughOwner(
                ownedBy(pod, "example.com/v1", "ReplicaSet", true)))
        .isFalse();
    // Only the controller reference counts.
    assertThat(WorkloadFindings.auditedThroughOwner(ownedBy(pod, "apps/v1", "ReplicaSet", false)))
        .isFalse();
    assertThat(WorkloadFindings.auditedThroughOwner(ownedBy(pod, "apps/v1", "ReplicaSet", null)))
        .isFalse();
    // A ConfigMap's content is not part of its owner's pod template.
    var cm = named(new ConfigMapBuilder().withNewMetadata().endMetadata().build());
    assertThat(WorkloadFindings.auditedThroughOwner(ownedBy(cm, "apps/v1", "Deployment", true)))
        .isFalse();
  }
}
