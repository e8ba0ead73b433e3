package dev.parapet.operator.aws.inventory.iam;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import java.util.List;

/**
 * IAM GetAccountAuthorizationDetails (paginated): managed policies with their default version, and
 * the inline policies of users, groups and roles, all URL-decoded and parsed.
 */
@DatasetSpec(service = "iam", global = true, actions = "iam:GetAccountAuthorizationDetails")
public record AuthorizationDetails(
    List<ManagedPolicy> managedPolicies, List<InlinePolicy> inlinePolicies, int principals)
    implements Dataset {

  public AuthorizationDetails {
    managedPolicies = List.copyOf(managedPolicies);
    inlinePolicies = List.copyOf(inlinePolicies);
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
}
