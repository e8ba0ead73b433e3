package dev.parapet.operator.aws.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.collect.PolicyDocuments;
import org.junit.jupiter.api.Test;

/** Which resource-policy statements let anyone in (shared by the Lambda, ECR, SNS, SQS rules). */
class PublicPolicyTest {

  static PolicyDocument doc(String statement) {
    return PolicyDocuments.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}");
  }

  @Test
  void everyoneWithoutConditionIsPublicInEverySpelling() {
    assertThat(PublicPolicy.publicStatements(doc("{\"Effect\":\"Allow\",\"Principal\":\"*\"}")))
        .containsExactly("#0");
    assertThat(
            PublicPolicy.isPublic(
                doc("{\"Sid\":\"a\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"}}")))
        .isTrue();
    assertThat(
            PublicPolicy.isPublic(
                doc("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::*:root\"]}}")))
        .isTrue();
  }

  @Test
  void namedPrincipalsDenyAndServicePrincipalsAreNotPublic() {
    assertThat(
            PublicPolicy.isPublic(
                doc(
                    "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"}}")))
        .isFalse();
    assertThat(PublicPolicy.isPublic(doc("{\"Effect\":\"Deny\",\"Principal\":\"*\"}"))).isFalse();
    assertThat(
            PublicPolicy.isPublic(
                doc("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"}}")))
        .isFalse();
    assertThat(PublicPolicy.isPublic(null)).isFalse();
  }

  @Test
  void conditionsThatPinTheCallerRestrictOthersDoNot() {
    var pinned =
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Condition\":{\"%s\":{\"%s\":\"%s\"}}}";
    assertThat(
            PublicPolicy.isPublic(
                doc(pinned.formatted("StringEquals", "AWS:SourceOwner", "123456789012"))))
        .isFalse();
    assertThat(
            PublicPolicy.isPublic(
                doc(pinned.formatted("ArnLike", "aws:SourceArn", "arn:aws:s3:::example-bucket"))))
        .isFalse();
    assertThat(
            PublicPolicy.isPublic(
                doc(
                    pinned.formatted(
                        "ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-example/r-ab12/*"))))
        .isFalse();
    assertThat(
            PublicPolicy.isPublic(doc(pinned.formatted("IpAddress", "aws:SourceIp", "10.0.0.0/8"))))
        .isFalse();
    // These let anyone through: IfExists, a wildcard value, an IP range of everything, a key that
    // does not identify the caller.
    assertThat(
            PublicPolicy.isPublic(
                doc(pinned.formatted("StringEqualsIfExists", "aws:SourceAccount", "123456789012"))))
        .isTrue();
    assertThat(PublicPolicy.isPublic(doc(pinned.formatted("StringLike", "aws:SourceAccount", "*"))))
        .isTrue();
    assertThat(
            PublicPolicy.isPublic(doc(pinned.formatted("IpAddress", "aws:SourceIp", "0.0.0.0/0"))))
        .isTrue();
    assertThat(PublicPolicy.isPublic(doc(pinned.formatted("Bool", "aws:SecureTransport", "true"))))
        .isTrue();
    assertThat(
            PublicPolicy.isPublic(
                doc(pinned.formatted("ArnLike", "aws:SourceArn", "arn:aws:sns:*:*:topic"))))
        .isTrue();
  }
}
