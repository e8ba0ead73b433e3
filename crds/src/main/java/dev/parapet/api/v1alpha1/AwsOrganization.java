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

/**
 * An AWS Organization whose member accounts Parapet scans: the operator lists the accounts with the
 * management (or delegated administrator) credentials and owns one CloudAccount per active,
 * selected member.
 */
@Group(CloudAccount.GROUP)
@Version(CloudAccount.VERSION)
@ShortNames("awsorg")
@Categories("posture")
@JsonClassDescription(
    "An AWS Organization: the operator lists its member accounts and keeps one CloudAccount per"
        + " active, selected member.")
@AdditionalPrinterColumn(name = "ORGANIZATION", jsonPath = ".status.organizationId")
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "ACCOUNTS",
    jsonPath = ".status.accounts.managed",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "UNREACHABLE",
    jsonPath = ".status.accounts.unreachable",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class AwsOrganization extends CustomResource<AwsOrganizationSpec, AwsOrganizationStatus>
    implements Namespaced {

  /** Label on every CloudAccount an AwsOrganization owns: the organization's name. */
  public static final String LABEL_ORGANIZATION = "parapet.dev/aws-organization";

  @Override
  @JsonPropertyDescription(
      "How to list the organization, which members to scan, and the CloudAccount template.")
  public AwsOrganizationSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observed: conditions, account counts by state, and the members it could"
          + " not assume into. Written by the operator.")
  public AwsOrganizationStatus getStatus() {
    return super.getStatus();
  }
}
