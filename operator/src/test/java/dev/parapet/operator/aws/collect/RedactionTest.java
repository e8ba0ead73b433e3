package dev.parapet.operator.aws.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.webhook.secrets.Redactor;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/** Credentials never leave in clear text; failures are classified by reason. */
class RedactionTest {
  private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  @Test
  void credentialSourcesNeverPrintSecrets() {
    var keys = new CredentialSource.StaticKeys(KEY_ID, SECRET, "session-token-example");
    assertThat(keys.toString())
        .doesNotContain(SECRET, KEY_ID, "session-token-example")
        .contains("AKIA************MPLE");
    var role =
        new CredentialSource.AssumeRole(
            "arn:aws:iam::123456789012:role/x", "ext-id-example", null, 0, keys);
    assertThat(role.toString()).doesNotContain("ext-id-example", SECRET);
  }

  @Test
  void errorMessagesAreRedacted() {
    var text =
        Redactor.redact(
            "key " + KEY_ID + " secret_access_key=" + SECRET + " X-Amz-Signature=abcdef");
    assertThat(text).doesNotContain(KEY_ID, SECRET, "abcdef").contains("AKIA************MPLE");
  }

  @Test
  void failuresAreClassified() {
    assertThat(Failures.reason(service("UnauthorizedOperation", 403)))
        .isEqualTo(UnknownReason.AccessDenied);
    assertThat(Failures.reason(service("AccessDeniedException", 400)))
        .isEqualTo(UnknownReason.AccessDenied);
    assertThat(Failures.reason(service("Throttling", 400))).isEqualTo(UnknownReason.Throttled);
    assertThat(Failures.reason(service("RequestLimitExceeded", 503)))
        .isEqualTo(UnknownReason.Throttled);
    assertThat(Failures.reason(service("InvalidAction", 400))).isEqualTo(UnknownReason.Unsupported);
    assertThat(Failures.reason(service("InternalError", 500))).isEqualTo(UnknownReason.Error);
    assertThat(Failures.reason(ApiCallTimeoutException.create(1000)))
        .isEqualTo(UnknownReason.Timeout);
    var error =
        Failures.classify(service("AccessDenied", 403), "ec2", "eu-west-1", "DescribeVolumes");
    assertThat(error.describe())
        .isEqualTo(
            "AccessDenied in eu-west-1 (ec2:DescribeVolumes): AccessDenied: denied "
                + "AKIA************MPLE"
                + " (HTTP 403)");
  }

  private static AwsServiceException service(String code, int status) {
    return AwsServiceException.builder()
        .statusCode(status)
        .awsErrorDetails(
            AwsErrorDetails.builder().errorCode(code).errorMessage("denied " + KEY_ID).build())
        .build();
  }
}
