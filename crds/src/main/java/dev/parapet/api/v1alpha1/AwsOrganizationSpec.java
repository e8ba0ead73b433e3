package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** How to list an AWS Organization, which members to scan, and how (the CloudAccount template). */
@JsonClassDescription(
    "How to list an AWS Organization, which members to scan, and the CloudAccount template.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AwsOrganizationSpec(
    @JsonPropertyDescription(
            "Credentials for the management account or a delegated administrator of AWS"
                + " Organizations (organizations:ListAccounts, ListParents,"
                + " ListOrganizationalUnitsForParent, ListTagsForResource, DescribeOrganization)."
                + " Same shape as a CloudAccount's; omit to use the operator's default chain.")
        CloudAccountSpec.Credentials credentials,
    @Default("us-east-1")
        @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$")
        @JsonPropertyDescription(
            "Region of the Organizations and STS calls, e.g. us-east-1 (the default).")
        String region,
    @Pattern("^https?://.+")
        @JsonPropertyDescription(
            "Override the AWS endpoint for Organizations and for every CloudAccount created, e.g."
                + " an emulator. Leave empty for AWS.")
        String endpointOverride,
    @Default("1h")
        @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
        @JsonPropertyDescription(
            "How often the organization is listed again, e.g. 1h (the default), 30m. Minimum 1m.")
        String syncInterval,
    @Required
        @JsonPropertyDescription(
            "The read role the operator assumes in each member account (deploy/aws StackSet"
                + " template). The operator's own identity assumes it, as for a CloudAccount's"
                + " assumeRole.")
        MemberRole memberRole,
    @JsonPropertyDescription(
            "Which organizational units to scan, by id (ou-...), nested OUs included. Exclude wins"
                + " over include.")
        Ids organizationalUnits,
    @JsonPropertyDescription(
            "Which member accounts to scan by their AWS Organizations tags, e.g. include [{key:"
                + " env, values: [prod]}]. Exclude wins over include.")
        AccountTags accountTags,
    @JsonPropertyDescription(
            "Member account ids to scan only (include) or never (exclude), e.g. exclude the"
                + " management account. Exclude wins over include.")
        Ids accounts,
    @JsonPropertyDescription(
            "What every CloudAccount created for a member gets: regions, scan schedule and scope,"
                + " exports.")
        Template template) {

  /** The role assumed in each member: the name, and the ExternalId its trust policy requires. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!(has(self.externalId) && has(self.externalIdSecretRef))",
      message = "set at most one of externalId and externalIdSecretRef")
  public record MemberRole(
      @Required
          @Pattern("^[\\w+=,.@-]{1,64}$")
          @JsonPropertyDescription(
              "Name of the role in every member account, e.g. parapet-scan. The role ARN is"
                  + " arn:<partition>:iam::<member>:role/<name>.")
          String name,
      @Pattern("^/([\\w+=,.@-]+/)*$")
          @JsonPropertyDescription("IAM path of the role, e.g. /security/. Default /.")
          String path,
      @JsonPropertyDescription("The ExternalId the role's trust policy requires, inline.")
          String externalId,
      @JsonPropertyDescription("The ExternalId, read from a Secret key in this namespace.")
          SecretKeySelector externalIdSecretRef,
      @Min(900) @Max(43200) @JsonPropertyDescription("Session duration in seconds (900-43200).")
          Integer durationSeconds) {}

  /** Ids to include (empty: all) and exclude (wins). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Ids(
      @Size(max = 1000) @JsonPropertyDescription("Only these ids; empty means all.")
          List<String> include,
      @Size(max = 1000) @JsonPropertyDescription("Never these ids; wins over include.")
          List<String> exclude) {}

  /** Account tag criteria: any include entry must match (when given), no exclude entry may. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record AccountTags(
      @Size(max = 50)
          @JsonPropertyDescription(
              "Scan only accounts carrying one of these tags (any entry matches). Empty means"
                  + " every account.")
          List<CloudAccountSpec.TagMatch> include,
      @Size(max = 50)
          @JsonPropertyDescription(
              "Never scan accounts carrying one of these tags; wins over include.")
          List<CloudAccountSpec.TagMatch> exclude) {}

  /** The parts of a CloudAccountSpec every member's CloudAccount gets. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Template(
      @JsonPropertyDescription(
              "Regions to scan in every member. Empty means every region enabled for the account.")
          List<String> regions,
      @JsonPropertyDescription("Scan schedule and scope, as a CloudAccount's spec.scan.")
          CloudAccountSpec.Scan scan,
      @JsonPropertyDescription("Exports, as a CloudAccount's spec.export.")
          CloudAccountSpec.Export export) {}
}
