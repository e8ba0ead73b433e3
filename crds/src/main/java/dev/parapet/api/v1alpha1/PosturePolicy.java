package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Cluster-wide posture policy: which cloud rules run, how admission enforces, and exceptions. */
@Group(CloudAccount.GROUP)
@Version(CloudAccount.VERSION)
@ShortNames("ppol")
@Categories("posture")
@JsonClassDescription(
    "Which cloud rules run, how the admission webhook enforces workload rules, and the exceptions.")
@AdditionalPrinterColumn(name = "ENFORCEMENT", jsonPath = ".spec.admission.enforcement")
@AdditionalPrinterColumn(
    name = "ACCEPTED",
    jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status")
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class PosturePolicy extends CustomResource<PosturePolicySpec, PosturePolicyStatus> {

  @Override
  @JsonPropertyDescription(
      "The desired posture: cloud rule selection, admission enforcement and exceptions.")
  public PosturePolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Whether the policy was accepted, and what it selected and matched. Written by the operator.")
  public PosturePolicyStatus getStatus() {
    return super.getStatus();
  }
}
