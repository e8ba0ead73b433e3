package dev.parapet.operator.aws.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.IdentityMismatchException;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.engine.ScanRequest;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the engine sends to STS AssumeRole, and that assumed-role credentials are refreshed before
 * they expire. moto ignores ExternalId and answers AssumeRole with a one-hour expiry, so a WireMock
 * proxy in front of it records the requests and, for the refresh case, answers AssumeRole itself
 * with credentials that expire in two minutes (inside the five-minute refresh window).
 */
@ExtendWith(MotoExtension.class)
class AssumeRoleMotoTest {

  private static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/parapet-scan";

  private WireMockServer proxy;
  private MotoServer moto;

  @BeforeEach
  void start(MotoServer moto) {
    this.moto = moto;
    proxy = MotoProxy.recording(moto);
  }

  @AfterEach
  void stop() {
    proxy.stop();
  }

  private ScanRequest request(CredentialSource credentials) {
    return ScanRequest.of(MotoServer.ACCOUNT_ID, List.of("us-east-1"))
        .withCredentials(credentials)
        .withEndpoint(URI.create(proxy.baseUrl()))
        .withPolicy(CloudPolicy.only("aws-ec2-ebs-default-encryption-off"));
  }

  private List<String> assumeRoleBodies() {
    return proxy
        .findAll(postRequestedFor(anyUrl()).withRequestBody(containing("Action=AssumeRole")))
        .stream()
        .map(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8))
        .toList();
  }

  @Test
  void assumeRoleSendsTheRoleExternalIdSessionNameAndDuration() {
    var role =
        new CredentialSource.AssumeRole(
            ROLE, "external-id-from-secret", "parapet-prod", 1800, moto.credentials());
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var report = new ScanEngine(factory).scan(request(role));
      assertThat(report.identityArn()).contains("assumed-role/parapet-scan/parapet-prod");
    }
    assertThat(assumeRoleBodies())
        .singleElement()
        .satisfies(
            body ->
                assertThat(body)
                    .contains("RoleArn=" + ROLE)
                    .contains("ExternalId=external-id-from-secret")
                    .contains("RoleSessionName=parapet-prod")
                    .contains("DurationSeconds=1800"));
  }

  @Test
  void withoutAnExternalIdNoneIsSent() {
    var role = new CredentialSource.AssumeRole(ROLE, null, "parapet-prod", 900, moto.credentials());
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      new ScanEngine(factory).scan(request(role));
    }
    assertThat(assumeRoleBodies())
        .singleElement()
        .satisfies(b -> assertThat(b).doesNotContain("ExternalId"));
  }

  @Test
  void credentialsCloseToExpiryAreRefreshedBeforeTheyExpire() {
    answerAssumeRoleExpiringIn(Duration.ofMinutes(2));
    var role =
        new CredentialSource.AssumeRole(
            ROLE, "external-id-example", "parapet-test", 900, moto.credentials());
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var engine = new ScanEngine(factory);
      engine.scan(request(role));
      var afterFirst = assumeRoleBodies().size();
      engine.scan(request(role));
      assertThat(afterFirst).isGreaterThanOrEqualTo(1);
      assertThat(assumeRoleBodies().size())
          .as("a second scan inside the refresh window assumes the role again")
          .isGreaterThan(afterFirst);
    }
  }

  @Test
  void credentialsFarFromExpiryAreReused() {
    answerAssumeRoleExpiringIn(Duration.ofHours(1));
    var role =
        new CredentialSource.AssumeRole(
            ROLE, "external-id-example", "parapet-test", 900, moto.credentials());
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var engine = new ScanEngine(factory);
      engine.scan(request(role));
      engine.scan(request(role));
    }
    assertThat(assumeRoleBodies()).hasSize(1);
  }

  @Test
  void aRoleInAnotherAccountIsRefusedBeforeAnyCollectionCall() {
    var role =
        new CredentialSource.AssumeRole(
            "arn:aws:iam::111111111111:role/parapet-scan",
            "external-id-example",
            "parapet-test",
            900,
            moto.credentials());
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      assertThatThrownBy(() -> new ScanEngine(factory).scan(request(role)))
          .isInstanceOf(IdentityMismatchException.class)
          .hasMessageContaining("111111111111")
          .hasMessageContaining(MotoServer.ACCOUNT_ID);
    }
    var calls =
        proxy.getAllServeEvents().stream()
            .map(e -> e.getRequest().getBodyAsString())
            .map(b -> b.replaceAll("(?s).*Action=([A-Za-z]+).*", "$1"))
            .toList();
    assertThat(calls)
        .as("only the identity calls reached AWS: nothing was scanned")
        .isNotEmpty()
        .containsOnly("AssumeRole", "GetCallerIdentity");
  }

  /** AssumeRole answered by the proxy: fake session credentials (moto accepts any key). */
  private void answerAssumeRoleExpiringIn(Duration ttl) {
    var expiration = Instant.now().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    proxy.stubFor(
        post(anyUrl())
            .atPriority(1)
            .withRequestBody(containing("Action=AssumeRole"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                            + "<AssumeRoleResult><Credentials>"
                            + "<AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>"
                            + "<SecretAccessKey>fake-session-secret-for-tests-only</SecretAccessKey>"
                            + "<SessionToken>fake-session-token-for-tests-only</SessionToken>"
                            + "<Expiration>"
                            + expiration
                            + "</Expiration></Credentials>"
                            + "<AssumedRoleUser><Arn>arn:aws:sts::"
                            + MotoServer.ACCOUNT_ID
                            + ":assumed-role/parapet-scan/parapet-test</Arn>"
                            + "<AssumedRoleId>AROAEXAMPLEID:parapet-test</AssumedRoleId>"
                            + "</AssumedRoleUser></AssumeRoleResult>"
                            + "<ResponseMetadata><RequestId>test</RequestId></ResponseMetadata>"
                            + "</AssumeRoleResponse>")));
  }
}
