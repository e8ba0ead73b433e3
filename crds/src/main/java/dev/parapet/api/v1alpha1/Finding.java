package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One failing rule on one resource, cloud or cluster. Written by the operator only. */
@Group(CloudAccount.GROUP)
@Version(CloudAccount.VERSION)
@ShortNames("fnd")
@Categories("posture")
@JsonClassDescription(
    "One failing rule on one resource, in the cloud or in the cluster. Written by the operator only.")
@AdditionalPrinterColumn(name = "SEVERITY", jsonPath = ".spec.rule.severity")
@AdditionalPrinterColumn(name = "RULE", jsonPath = ".spec.rule.id")
@AdditionalPrinterColumn(name = "RESOURCE", jsonPath = ".spec.resource.id")
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "TRIAGE", jsonPath = ".metadata.labels.parapet\\.dev/triage")
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "ACCOUNT", jsonPath = ".spec.resource.accountId", priority = 1)
@AdditionalPrinterColumn(name = "REGION", jsonPath = ".spec.resource.region", priority = 1)
@AdditionalPrinterColumn(name = "TITLE", jsonPath = ".spec.rule.title", priority = 1)
public class Finding extends CustomResource<FindingSpec, FindingStatus> implements Namespaced {

  /** Label keys every Finding carries, for {@code kubectl get findings -l ...}. */
  public static final String LABEL_SEVERITY = "parapet.dev/severity";

  public static final String LABEL_RULE = "parapet.dev/rule";
  public static final String LABEL_SOURCE = "parapet.dev/source";
  public static final String LABEL_ACCOUNT = "parapet.dev/account";
  public static final String LABEL_REGION = "parapet.dev/region";

  /** Set to {@code activity} on activity findings only (posture findings carry no such label). */
  public static final String LABEL_CATEGORY = "parapet.dev/category";

  /**
   * User-owned triage labels: set with {@code kubectl label}, never written or removed by the
   * operator, kept across rescans, resolve and reopen.
   */
  public static final String LABEL_OWNER = "parapet.dev/owner";

  public static final String LABEL_TRIAGE = "parapet.dev/triage";

  /** The {@link #LABEL_TRIAGE} values Parapet understands. */
  public static final java.util.List<String> TRIAGE_VALUES =
      java.util.List.of("acknowledged", "in-progress", "risk-accepted");

  /** The {@code parapet.dev/} labels that belong to users, not to the operator. */
  public static final java.util.Set<String> USER_LABELS =
      java.util.Set.of(LABEL_OWNER, LABEL_TRIAGE);

  /**
   * Annotations the operator puts on every Finding so that Argo CD neither diffs nor prunes it,
   * even when a tool copies an Application's tracking label onto it.
   */
  public static final java.util.Map<String, String> ARGOCD_ANNOTATIONS =
      java.util.Map.of(
          "argocd.argoproj.io/compare-options", "IgnoreExtraneous",
          "argocd.argoproj.io/sync-options", "Prune=false");

  @Override
  @JsonPropertyDescription(
      "What failed, where, the evidence and the fix. Contains no timestamps, so an unchanged rescan writes nothing.")
  public FindingSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Lifecycle of the finding: Open, Resolved or Suppressed. Timestamps move only when the state changes.")
  public FindingStatus getStatus() {
    return super.getStatus();
  }
}
