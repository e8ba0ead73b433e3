package dev.parapet.operator.aws.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** How SDK failures become UNKNOWN reasons and messages. */
class FailuresTest {

  static AwsServiceException failure(int status, String code, String message) {
    return AwsServiceException.builder()
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .build();
  }

  @Test
  void accessDeniedKeepsCodeAndMessage() {
    var e =
        Failures.classify(
            failure(403, "UnauthorizedOperation", "You are not authorized"),
            "ec2",
            "eu-west-1",
            "DescribeSecurityGroups");
    assertThat(e.reason()).isEqualTo(UnknownReason.AccessDenied);
    assertThat(e.message()).isEqualTo("UnauthorizedOperation: You are not authorized (HTTP 403)");
  }

  @Test
  void aBareServerErrorSaysSoInsteadOfPrintingNulls() {
    var e =
        Failures.classify(
            failure(500, null, null), "ec2", "us-east-1", "GetSnapshotBlockPublicAccessState");
    assertThat(e.reason()).isEqualTo(UnknownReason.Error);
    assertThat(e.message())
        .doesNotContain("null")
        .isEqualTo(
            "HTTP 500 with no AWS error code or message (the endpoint may not implement this API)");
  }

  @Test
  void clientSideFailuresGiveOneShortLineNotTheSdksChainedText() {
    var chain =
        software.amazon.awssdk.core.exception.SdkClientException.create(
            "Unable to load credentials from any of the providers in the chain"
                + " AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(),"
                + " EnvironmentVariableCredentialsProvider()]) : [SystemPropertyCredentialsProvider():"
                + " Unable to load credentials from system settings. Access key must be specified.]");
    var noCredentials = Failures.classify(chain, "sts", "us-east-1", "GetCallerIdentity");
    assertThat(noCredentials.message())
        .startsWith("no AWS credentials: the default chain")
        .doesNotContain("AwsCredentialsProviderChain");

    var refused =
        software.amazon.awssdk.core.exception.SdkClientException.create(
            "Unable to execute HTTP request: Connection refused",
            new java.net.ConnectException("Connection refused"));
    assertThat(Failures.classify(refused, "sts", "us-east-1", "GetCallerIdentity").message())
        .startsWith("cannot connect to the AWS endpoint (Connection refused)");

    var longText = "x".repeat(5000) + "\nsecond line";
    var other = software.amazon.awssdk.core.exception.SdkClientException.create(longText);
    assertThat(Failures.classify(other, "ec2", "us-east-1", "DescribeRegions").message())
        .hasSize(300)
        .doesNotContain("second line");
  }
}
