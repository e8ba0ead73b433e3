package dev.parapet.operator.aws.engine;

import static dev.parapet.testing.AwsSeed.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
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
            Set.of("pci"),
            Set.of("aws-no-such-rule"),
            null,
            null,
            dev.parapet.operator.aws.rules.RuleParameters.defaults()
                .withSensitivePorts(Set.of(70000)),
            List.of(new Exemption("x", null, null, null, null, null, " ", null)));
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
                      .anySatisfy(p -> assertThat(p).contains("frameworks").contains("pci"))
                      .anySatisfy(p -> assertThat(p).contains("aws-no-such-rule"))
                      .anySatisfy(p -> assertThat(p).contains("sensitivePorts").contains("70000"))
                      .anySatisfy(p -> assertThat(p).contains("exceptions[0].reason")));
    }
  }

  @Test
  void exemptionSuppressesTheMatchingFailAndSaysBy(MotoServer moto) {
    var region = "us-east-2";
    String prod;
    String dev;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      prod = AwsSeed.securityGroup(ec2, "prod-ssh", tcp(22, 22, "0.0.0.0/0"));
      dev = AwsSeed.securityGroup(ec2, "dev-ssh", tcp(22, 22, "0.0.0.0/0"));
      ec2.createTags(b -> b.resources(dev).tags(t -> t.key("env").value("dev")));
      AwsSeed.attach(ec2, prod, dev);
    }
    var exemption =
        new Exemption(
            "dev-bastions",
            List.of("aws-ec2-sg-*"),
            List.of(MotoServer.ACCOUNT_ID),
            List.of("us-east-*"),
            List.of("arn:aws:ec2:*:*:security-group/*"),
            java.util.Map.of("env", "dev"),
            "bastion hosts in dev accept SSH from anywhere until the VPN lands",
            null);
    var policy = CloudPolicy.only("aws-ec2-sg-ssh-open").withExemptions(List.of(exemption));
    var report = MotoScans.scan(moto, List.of(region), policy);
    assertThat(report.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.resource().id()).isEqualTo(prod));
    assertThat(report.withStatus(ResultStatus.FAIL))
        .filteredOn(ScanResult::suppressed)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.resource().id()).isEqualTo(dev);
              assertThat(s.suppressedBy().exemption()).isEqualTo("dev-bastions");
              assertThat(s.suppressedBy().reason()).contains("bastion");
            });
  }
}
