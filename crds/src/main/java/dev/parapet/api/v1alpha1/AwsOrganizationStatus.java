package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What the operator observed about an AwsOrganization. */
@JsonClassDescription(
    "What the operator observed: conditions, account counts by state, unreachable members.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AwsOrganizationStatus(
    @JsonPropertyDescription("The .metadata.generation the status reflects.")
        Long observedGeneration,
    @JsonPropertyDescription("Ready, with a reason and message.") List<Condition> conditions,
    @JsonPropertyDescription("The organization id (o-...).") String organizationId,
    @JsonPropertyDescription("When the organization was last listed (RFC 3339).") String lastSyncAt,
    @JsonPropertyDescription("Member accounts by state and selection.") AccountCounts accounts,
    @JsonPropertyDescription(
            "Members whose CloudAccount could not obtain credentials (the AssumeRole into the"
                + " member role failed, or its ExternalId Secret is missing), from that"
                + " CloudAccount's CredentialsValid condition. At most 100 are listed.")
        List<UnreachableAccount> unreachable) {

  /** Counts of the organization's accounts. */
  public record AccountCounts(
      @JsonPropertyDescription("Accounts listed in the organization.") int total,
      @JsonPropertyDescription("Accounts in state ACTIVE.") int active,
      @JsonPropertyDescription("Accounts in state SUSPENDED.") int suspended,
      @JsonPropertyDescription("Accounts in state PENDING_CLOSURE or CLOSED.") int closed,
      @JsonPropertyDescription("Active accounts left out by the OU, tag or account filters.")
          int excluded,
      @JsonPropertyDescription("CloudAccounts this organization owns.") int managed,
      @JsonPropertyDescription("Owned CloudAccounts whose credentials are invalid.")
          int unreachable) {}

  /** A member account the operator could not assume into. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UnreachableAccount(
      @JsonPropertyDescription("The member account id.") String accountId,
      @JsonPropertyDescription("The CloudAccount of the member.") String cloudAccount,
      @JsonPropertyDescription("Reason of the CloudAccount's CredentialsValid condition.")
          String reason,
      @JsonPropertyDescription("Its message, never a credential.") String message) {}
}
