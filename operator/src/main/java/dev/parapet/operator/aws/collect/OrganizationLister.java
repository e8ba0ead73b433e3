package dev.parapet.operator.aws.collect;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.ListAccountsForParentRequest;
import software.amazon.awssdk.services.organizations.model.ListOrganizationalUnitsForParentRequest;
import software.amazon.awssdk.services.organizations.model.ListRootsRequest;
import software.amazon.awssdk.services.organizations.model.ListTagsForResourceRequest;

/**
 * Lists an AWS Organization's accounts with the OU path of each, by walking the tree from the root
 * ({@code ListRoots}, then {@code ListOrganizationalUnitsForParent} and {@code
 * ListAccountsForParent} per parent: two paged calls per OU, not one {@code ListParents} chain per
 * account). Tags ({@code ListTagsForResource}, one call per account) are read only for the accounts
 * the caller asks about, since only a tag filter needs them.
 */
public final class OrganizationLister {

  /** One account: id, ARN, name, its state, and the OU ids from the root down to its parent. */
  public record Member(String id, String arn, String name, String state, List<String> ouPath) {

    /** The ARN partition, e.g. aws or aws-cn (aws when the ARN is missing). */
    public String partition() {
      if (arn == null || !arn.startsWith("arn:")) {
        return "aws";
      }
      var parts = arn.split(":", 3);
      return parts.length < 2 || parts[1].isBlank() ? "aws" : parts[1];
    }
  }

  /** The organization and its accounts in tree order. */
  public record Listing(String organizationId, String managementAccountId, List<Member> members) {}

  /** Listing failed; the message names the call and the AWS error, never a credential. */
  public static final class ListingException extends RuntimeException {
    private final String reason;

    public ListingException(String reason, String message, Throwable cause) {
      super(message, cause);
      this.reason = reason;
    }

    /** AccessDenied, NotInOrganization, Throttled or Error. */
    public String reason() {
      return reason;
    }
  }

  /**
   * The IAM actions {@link #list} and {@link #tags} call, for the management or
   * delegated-administrator credentials (deploy/aws/organization-policy.json is generated from it).
   */
  public static final List<String> IAM_ACTIONS =
      List.of(
          "organizations:DescribeOrganization",
          "organizations:ListAccountsForParent",
          "organizations:ListOrganizationalUnitsForParent",
          "organizations:ListRoots",
          "organizations:ListTagsForResource");

  private final AwsClientFactory clients;

  public OrganizationLister(AwsClientFactory clients) {
    this.clients = clients;
  }

  /** Lists the organization the credentials of {@code source} belong to. */
  public Listing list(CredentialSource source, URI endpointOverride, String region) {
    try (var session = clients.open(source, endpointOverride, region);
        var bound = session.bind()) {
      var org = session.client(OrganizationsClient.class);
      var described = call("DescribeOrganization", () -> org.describeOrganization().organization());
      var members = new ArrayList<Member>();
      var roots =
          call(
              "ListRoots",
              () ->
                  org.listRootsPaginator(ListRootsRequest.builder().build()).stream()
                      .flatMap(r -> r.roots().stream())
                      .toList());
      for (var root : roots) {
        walk(org, root.id(), List.of(), members);
      }
      return new Listing(described.id(), described.masterAccountId(), List.copyOf(members));
    }
  }

  /**
   * The tags of each account id, in the order given. An account that left the organization since it
   * was listed ({@code TargetNotFoundException}) is missing from the answer.
   */
  public Map<String, Map<String, String>> tags(
      CredentialSource source, URI endpointOverride, String region, List<String> accountIds) {
    var out = new LinkedHashMap<String, Map<String, String>>();
    try (var session = clients.open(source, endpointOverride, region);
        var bound = session.bind()) {
      var org = session.client(OrganizationsClient.class);
      for (var id : accountIds) {
        var tags = new LinkedHashMap<String, String>();
        try {
          call(
                  "ListTagsForResource",
                  () ->
                      org
                          .listTagsForResourcePaginator(
                              ListTagsForResourceRequest.builder().resourceId(id).build())
                          .stream()
                          .flatMap(r -> r.tags().stream())
                          .toList())
              .forEach(t -> tags.put(t.key(), t.value()));
        } catch (ListingException e) {
          if (e.getCause() instanceof AwsServiceException ase
              && ase.awsErrorDetails() != null
              && "TargetNotFoundException".equals(ase.awsErrorDetails().errorCode())) {
            continue; // removed from the organization meanwhile
          }
          throw e;
        }
        out.put(id, Map.copyOf(tags));
      }
    }
    return out;
  }

  private void walk(OrganizationsClient org, String parent, List<String> path, List<Member> out) {
    var accounts =
        call(
            "ListAccountsForParent",
            () ->
                org
                    .listAccountsForParentPaginator(
                        ListAccountsForParentRequest.builder().parentId(parent).build())
                    .stream()
                    .flatMap(r -> r.accounts().stream())
                    .toList());
    for (var a : accounts) {
      out.add(new Member(a.id(), a.arn(), a.name(), state(a), path));
    }
    var ous =
        call(
            "ListOrganizationalUnitsForParent",
            () ->
                org
                    .listOrganizationalUnitsForParentPaginator(
                        ListOrganizationalUnitsForParentRequest.builder().parentId(parent).build())
                    .stream()
                    .flatMap(r -> r.organizationalUnits().stream())
                    .toList());
    for (var ou : ous) {
      var next = new ArrayList<>(path);
      next.add(ou.id());
      walk(org, ou.id(), List.copyOf(next), out);
    }
  }

  /**
   * The account's lifecycle state: {@code State} (ACTIVE, SUSPENDED, PENDING_ACTIVATION,
   * PENDING_CLOSURE, CLOSED) where the answer has it, else the older {@code Status} (ACTIVE,
   * SUSPENDED, PENDING_CLOSURE); UNKNOWN when neither came back.
   */
  static String state(Account a) {
    if (a.stateAsString() != null && !a.stateAsString().isBlank()) {
      return a.stateAsString();
    }
    if (a.statusAsString() != null && !a.statusAsString().isBlank()) {
      return a.statusAsString();
    }
    return "UNKNOWN";
  }

  private static <T> T call(String operation, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (AwsServiceException e) {
      var code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      var reason =
          e.isThrottlingException()
              ? "Throttled"
              : e.statusCode() == 403 || "AccessDeniedException".equals(code)
                  ? "AccessDenied"
                  : "AWSOrganizationsNotInUseException".equals(code)
                      ? "NotInOrganization"
                      : "Error";
      var detail =
          e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
      throw new ListingException(
          reason,
          "organizations:" + operation + " failed: " + (code == null ? "" : code + ": ") + detail,
          e);
    } catch (SdkException e) {
      throw new ListingException(
          "Error", "organizations:" + operation + " failed: " + e.getMessage(), e);
    }
  }
}
