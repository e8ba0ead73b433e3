package dev.parapet.operator.aws;

import static dev.parapet.testing.AwsSeed.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.demo.MotoProcess;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/** Seeds moto through the plain SDK, reads it back through the project's client factory. */
@ExtendWith(MotoExtension.class)
class MotoSmokeTest {

  @Test
  void securityGroupSeededWithSdkIsReadBackThroughTheFactoryEndpointOverride(MotoServer moto) {
    String groupId;
    try (var ec2 = new AwsSeed(moto).ec2(moto.region())) {
      groupId = AwsSeed.securityGroup(ec2, "smoke-ssh", tcp(22, 22, "0.0.0.0/0"));
    }
    try (var factory = new AwsClientFactory(ClientSettings.defaults());
        var session = factory.open(moto.credentials(), moto.endpoint(), moto.region())) {
      var group =
          session
              .client(Ec2Client.class, moto.region())
              .describeSecurityGroups(b -> b.groupIds(groupId))
              .securityGroups()
              .get(0);
      assertThat(group.groupName()).isEqualTo("smoke-ssh");
      assertThat(group.ipPermissions())
          .anySatisfy(
              p -> {
                assertThat(p.fromPort()).isEqualTo(22);
                assertThat(p.ipRanges())
                    .anySatisfy(r -> assertThat(r.cidrIp()).isEqualTo("0.0.0.0/0"));
              });
      assertThat(session.counter().calls()).containsEntry("ec2:DescribeSecurityGroups", 1L);
      var identity = session.client(StsClient.class).getCallerIdentity(b -> {});
      assertThat(identity.account()).isEqualTo(MotoServer.ACCOUNT_ID);
    }
  }

  /**
   * The demo's launcher ({@code MotoProcess}), which the tests start moto with too, gives a fresh
   * account: none of Amazon's public AMIs and none of their snapshots (moto reports those as
   * public, so the demo would show ~1,300 false findings).
   */
  @Test
  void theSharedLauncherPreloadsNoAmisOrSnapshots(MotoServer moto) {
    assertThat(MotoProcess.ENVIRONMENT).containsEntry("MOTO_EC2_LOAD_DEFAULT_AMIS", "false");
    try (var ec2 = new AwsSeed(moto).ec2(moto.region())) {
      assertThat(ec2.describeImages(b -> b.owners("amazon")).images()).isEmpty();
      assertThat(ec2.describeImages(b -> {}).images()).isEmpty();
      assertThat(ec2.describeSnapshots(b -> {}).snapshots()).isEmpty();
    }
  }
}
