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

/** An AWS account that Parapet scans read-only; its status reports the last scan. */
@Group(CloudAccount.GROUP)
@Version(CloudAccount.VERSION)
@ShortNames("cacct")
@Categories("posture")
@JsonClassDescription(
    "An AWS account that Parapet scans read-only and reports on with Finding objects.")
@AdditionalPrinterColumn(name = "ACCOUNT", jsonPath = ".spec.accountId")
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "CRITICAL",
    jsonPath = ".status.findings.critical",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "HIGH",
    jsonPath = ".status.findings.high",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "LAST-SCAN",
    jsonPath = ".status.lastScan.finishedAt",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class CloudAccount extends CustomResource<CloudAccountSpec, CloudAccountStatus>
    implements Namespaced {

  public static final String GROUP = "parapet.dev";
  public static final String VERSION = "v1alpha1";

  /** Annotation that stops every remediation action on this account at once ("true"). */
  public static final String ANNOTATION_REMEDIATION_STOP = "parapet.dev/remediation-stop";

  @Override
  @JsonPropertyDescription("Which AWS account to scan, how to authenticate, and how often.")
  public CloudAccountSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observed: conditions, identity, the last scan and finding counts. Written by the operator.")
  public CloudAccountStatus getStatus() {
    return super.getStatus();
  }
}
