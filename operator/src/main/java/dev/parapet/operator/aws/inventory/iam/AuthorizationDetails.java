package dev.parapet.operator.aws.inventory.iam;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * IAM GetAccountAuthorizationDetails (paginated): managed policies with their default version, and
 * the inline policies of users, groups and roles, all URL-decoded and parsed, and the tags of users
 * and roles by ARN (the same answer carries them, so tags cost no extra call). Rules about users
 * read it for tags only ({@code tagsFrom}). Each role's trust policy (AssumeRolePolicyDocument, in
 * the same answer) is kept by role ARN for the cross-plane join (which ServiceAccounts may assume
 * it).
 */
@DatasetSpec(service = "iam", global = true, actions = "iam:GetAccountAuthorizationDetails")
public record AuthorizationDetails(
    List<ManagedPolicy> managedPolicies,
    List<InlinePolicy> inlinePolicies,
    int principals,
    Map<String, Map<String, String>> principalTags,
    List<Attachments> attachments,
    Map<String, PolicyDocument> roleTrustPolicies)
    implements Dataset {

  public AuthorizationDetails {
    managedPolicies = List.copyOf(managedPolicies);
    inlinePolicies = List.copyOf(inlinePolicies);
    var tags = new TreeMap<String, Map<String, String>>();
    if (principalTags != null) {
      principalTags.forEach((arn, t) -> tags.put(arn, Tags.copy(t)));
    }
    principalTags = Map.copyOf(tags);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
    roleTrustPolicies = roleTrustPolicies == null ? Map.of() : Map.copyOf(roleTrustPolicies);
  }

  /** Without role trust policies (rules that do not read them, fixtures). */
  public AuthorizationDetails(
      List<ManagedPolicy> managedPolicies,
      List<InlinePolicy> inlinePolicies,
      int principals,
      Map<String, Map<String, String>> principalTags,
      List<Attachments> attachments) {
    this(managedPolicies, inlinePolicies, principals, principalTags, attachments, Map.of());
  }

  /** Without the per-principal attachment list (fixtures of rules that do not read it). */
  public AuthorizationDetails(
      List<ManagedPolicy> managedPolicies,
      List<InlinePolicy> inlinePolicies,
      int principals,
      Map<String, Map<String, String>> principalTags) {
    this(managedPolicies, inlinePolicies, principals, principalTags, List.of(), Map.of());
  }

  /** Without tags (fixtures). */
  public AuthorizationDetails(
      List<ManagedPolicy> managedPolicies, List<InlinePolicy> inlinePolicies, int principals) {
    this(managedPolicies, inlinePolicies, principals, Map.of(), List.of(), Map.of());
  }

  /** The tags of a user or role; empty when it has none (groups and policies carry none here). */
  public Map<String, String> tagsOf(String principalArn) {
    return principalArn == null ? Map.of() : principalTags.getOrDefault(principalArn, Map.of());
  }

  @Override
  public int resourceCount() {
    return principals + managedPolicies.size();
  }

  /** A managed policy; {@code awsManaged} for {@code arn:aws:iam::aws:policy/...}. */
  public record ManagedPolicy(
      String arn,
      String name,
      int attachmentCount,
      boolean awsManaged,
      PolicyDocument defaultVersion) {}

  /** An inline policy of a principal; {@code principalType} is User, Group or Role. */
  public record InlinePolicy(
      String principalType,
      String principalName,
      String principalArn,
      String policyName,
      PolicyDocument document) {}

  /**
   * What one user, group or role has attached as GetAccountAuthorizationDetails returns it: the
   * ARNs of its attached managed policies and the names of its inline policies ({@code
   * principalType} is User, Group or Role). Every principal of the answer is listed, also those
   * with nothing attached.
   */
  public record Attachments(
      String principalType,
      String principalName,
      String principalArn,
      List<String> managedPolicyArns,
      List<String> inlinePolicyNames) {
    public Attachments {
      managedPolicyArns = List.copyOf(managedPolicyArns);
      inlinePolicyNames = List.copyOf(inlinePolicyNames);
    }
  }
}
