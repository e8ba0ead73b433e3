package dev.parapet.operator.paths;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.collect.PolicyDocuments;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Effective permissions of a role's policies: wildcards, NotAction, Deny, conditions. */
class IamPermissionsTest {

  static IamPermissions.Policy policy(String json) {
    return new IamPermissions.Policy("p", PolicyDocuments.parse(json));
  }

  @Test
  void wildcardsMatchLikeIam() {
    assertThat(IamPermissions.matches("s3:Get*", "s3:GetObject", true)).isTrue();
    assertThat(IamPermissions.matches("S3:get?bject", "s3:GetObject", true)).isTrue();
    assertThat(IamPermissions.matches("s3:Put*", "s3:GetObject", true)).isFalse();
    assertThat(IamPermissions.matches("arn:aws:s3:::*", "arn:aws:s3:::*/*", false)).isTrue();
    // A pattern naming one bucket does not cover every bucket (the probe's * is literal).
    assertThat(IamPermissions.matches("arn:aws:s3:::logs-*", "arn:aws:s3:::*/*", false)).isFalse();
    assertThat(IamPermissions.matches("arn:aws:s3:::Logs/*", "arn:aws:s3:::logs/*", false))
        .isFalse();
  }

  @Test
  void adminNeedsStarOnStarAndAnUnconditionalDenyCancelsIt() {
    var admin =
        policy("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}");
    assertThat(IamPermissions.grant(List.of(admin), "*", "*")).isNotNull();
    var s3Only =
        policy("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}");
    assertThat(IamPermissions.grant(List.of(s3Only), "*", "*")).isNull();
    assertThat(IamPermissions.grant(List.of(s3Only), "s3:GetObject", "arn:aws:s3:::*/*"))
        .isNotNull();
    var deny =
        policy(
            "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}");
    assertThat(IamPermissions.grant(List.of(s3Only, deny), "s3:GetObject", "arn:aws:s3:::b/*"))
        .isNull();
    // A conditional Deny may not apply: the Allow stands.
    var conditionalDeny =
        policy(
            "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}}");
    assertThat(
            IamPermissions.grant(
                List.of(s3Only, conditionalDeny), "s3:GetObject", "arn:aws:s3:::b/*"))
        .isNotNull();
  }

  @Test
  void notActionAllowsEverythingElseAndConditionsAreSaid() {
    var notIam =
        policy(
            "{\"Statement\":{\"Sid\":\"NotIam\",\"Effect\":\"Allow\",\"NotAction\":\"iam:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}}}");
    var g = IamPermissions.grant(List.of(notIam), "s3:GetObject", "arn:aws:s3:::*/*");
    assertThat(g).isNotNull();
    assertThat(g.conditional()).isTrue();
    assertThat(g.describe())
        .isEqualTo("p (statement NotIam: Allow NotAction [iam:*] on [*], conditional)");
    assertThat(IamPermissions.grant(List.of(notIam), "iam:CreateUser", "*")).isNull();
  }

  @Test
  void wildcardTrustNeedsASubMatchingEveryNamespace() {
    var issuer = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE";
    var provider = "arn:aws:iam::123456789012:oidc-provider/" + issuer;
    java.util.function.Function<String, String> trust =
        cond ->
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
                + provider
                + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\""
                + cond
                + "}]}";
    assertThat(AttackPaths.wildcardTrust(PolicyDocuments.parse(trust.apply(""))))
        .contains("with no " + issuer + ":sub condition");
    assertThat(
            AttackPaths.wildcardTrust(
                PolicyDocuments.parse(
                    trust.apply(
                        ",\"Condition\":{\"StringLike\":{\""
                            + issuer
                            + ":sub\":\"system:serviceaccount:*:*\"}}"))))
        .isNotNull();
    // One namespace's ServiceAccounts, or one ServiceAccount: not every ServiceAccount.
    assertThat(
            AttackPaths.wildcardTrust(
                PolicyDocuments.parse(
                    trust.apply(
                        ",\"Condition\":{\"StringLike\":{\""
                            + issuer
                            + ":sub\":\"system:serviceaccount:shop:*\"}}"))))
        .isNull();
    // StringEquals compares literally: a * there is no wildcard.
    assertThat(
            AttackPaths.wildcardTrust(
                PolicyDocuments.parse(
                    trust.apply(
                        ",\"Condition\":{\"StringEquals\":{\""
                            + issuer
                            + ":sub\":\"system:serviceaccount:*\"}}"))))
        .isNull();
  }
}
