package dev.parapet.operator.aws.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The engine's identity, credential, region and policy handling against moto. */
@ExtendWith(MotoExtension.class)
class ScanEngineMotoTest {

  private static ScanRequest request(
      MotoServer moto, CredentialSource credentials, String account) {
    return ScanRequest.of(account, List.of("us-east-1"))
        .withCredentials(credentials)
        .withEndpoint(moto.endpoint())
        .withPolicy(CloudPolicy.only("aws-ec2-ebs-default-encryption-off"));
  }

  @Test
  void credentialsOfAnotherAccountAreAnErrorNamingBothIdsAndNothingIsScanned(MotoServer moto) {
    var otherAccountRole =
        new CredentialSource.AssumeRole(
            "arn:aws:iam::111111111111:role/parapet-readonly",
            "external-id-example",
            "parapet-test",
            900,
            moto.credentials());
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var engine = new ScanEngine(factory);
      assertThatThrownBy(() -> engine.scan(request(moto, otherAccountRole, MotoServer.ACCOUNT_ID)))
          .isInstanceOf(IdentityMismatchException.class)
          .hasMessageContaining("111111111111")
          .hasMessageContaining(MotoServer.ACCOUNT_ID)
          .hasMessageContaining("nothing was scanned");
    }
  }

  @Test
  void assumedRoleCredentialsAreCachedAcrossScans(MotoServer moto) {
    var role =
        new CredentialSource.AssumeRole(
            "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/parapet-readonly",
            "external-id-example",
            "parapet-test",
            3600,
            moto.credentials());
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var engine = new ScanEngine(factory);
      var first = engine.scan(request(moto, role, MotoServer.ACCOUNT_ID));
      var second = engine.scan(request(moto, role, MotoServer.ACCOUNT_ID));
      assertThat(first.identityArn()).contains("assumed-role/parapet-readonly/parapet-test");
      assertThat(second.results()).hasSize(1);
      assertThat(factory.credentialCalls().calls()).containsEntry("sts:AssumeRole", 1L);
    }
  }

  @Test
  void emptyRegionListMeansEveryEnabledRegion(MotoServer moto) {
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var report =
          new ScanEngine(factory)
              .scan(
                  ScanRequest.of(MotoServer.ACCOUNT_ID, List.of())
                      .withCredentials(moto.credentials())
                      .withEndpoint(moto.endpoint())
                      .withPolicy(CloudPolicy.only("aws-ec2-ebs-default-encryption-off")));
      assertThat(report.regions()).hasSizeGreaterThan(16).contains("us-east-1", "eu-west-1");
      assertThat(report.apiCalls())
          .containsEntry("ec2:DescribeRegions", 1L)
          .containsEntry("ec2:GetEbsEncryptionByDefault", (long) report.regions().size());
      assertThat(report.results()).hasSize(report.regions().size());
    }
  }

  @Test
  void invalidPolicyIsRejectedWithEveryProblemBeforeAnyCall(MotoServer moto) {
    var policy =
        new CloudPolicy(
            Set.of("aws-no-such-rule"),
            java.util.Map.of("aws-other-missing-rule", dev.parapet.core.Severity.LOW),
            dev.parapet.operator.aws.rules.RuleParameters.defaults()
                .withSensitivePorts(Set.of(70000)),
            Set.of("ec3"),
            null);
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      assertThatThrownBy(
              () ->
                  new ScanEngine(factory)
                      .scan(
                          request(moto, moto.credentials(), MotoServer.ACCOUNT_ID)
                              .withPolicy(policy)))
          .isInstanceOfSatisfying(
              InvalidPolicyException.class,
              e ->
                  assertThat(e.problems())
                      .anySatisfy(p -> assertThat(p).contains("rules").contains("aws-no-such-rule"))
                      .anySatisfy(p -> assertThat(p).contains("aws-other-missing-rule"))
                      .anySatisfy(p -> assertThat(p).contains("services").contains("ec3"))
                      .anySatisfy(p -> assertThat(p).contains("sensitivePorts").contains("70000")));
    }
  }
}
