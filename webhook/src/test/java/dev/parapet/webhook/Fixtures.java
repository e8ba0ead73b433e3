package dev.parapet.webhook;

import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.policy.PolicyFile;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small in-memory workloads and policies for rule tests: no cluster, no Quarkus. */
public final class Fixtures {
  private Fixtures() {}

  /** A policy from the body of {@code spec.admission} (YAML, indented by the caller or not). */
  public static AdmissionPolicy policy(String admissionYaml) {
    var doc =
        "apiVersion: parapet.dev/v1alpha1\nkind: PosturePolicy\nmetadata:\n  name: test\nspec:\n  admission:\n"
            + admissionYaml.lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n");
    if (admissionYaml.isBlank()) {
      doc =
          "apiVersion: parapet.dev/v1alpha1\nkind: PosturePolicy\nmetadata:\n  name: test\nspec:\n  admission: {}\n";
    }
    return PolicyFile.parse(doc, "test").get(0);
  }

  public static Container container(String name) {
    return new ContainerBuilder().withName(name).withImage("registry.example/app:1").build();
  }

  public static Pod pod(PodSpec spec) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace("prod")
        .endMetadata()
        .withSpec(spec)
        .build();
  }

  public static Pod pod(Container... containers) {
    return pod(new PodSpecBuilder().withContainers(containers).build());
  }

  public static Deployment deployment(Container... containers) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("api")
        .withNamespace("prod")
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .withContainers(containers)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  public static ConfigMap configMap(Map<String, String> data, Map<String, String> binaryData) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("cfg")
        .withNamespace("prod")
        .endMetadata()
        .withData(data)
        .withBinaryData(binaryData)
        .build();
  }

  public static List<Violation> evaluate(HasMetadata o, AdmissionPolicy p) {
    return WorkloadEvaluator.evaluate(
        WorkloadReview.of(o), p, Instant.parse("2026-11-23T00:00:00Z"));
  }

  /** Violations of one rule only. */
  public static List<Violation> evaluate(HasMetadata o, AdmissionPolicy p, String ruleId) {
    return evaluate(o, p).stream().filter(v -> v.rule().id().equals(ruleId)).toList();
  }
}
