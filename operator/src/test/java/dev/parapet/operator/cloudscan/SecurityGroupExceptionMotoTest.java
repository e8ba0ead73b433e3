package dev.parapet.operator.cloudscan;

import static dev.parapet.testing.AwsSeed.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A PosturePolicy exception matching by rule prefix, account, region, ARN glob and tag, on moto
 * through the operator's path: it suppresses exactly the matching security group's Finding, which
 * says by which policy and exception and why; a criterion that does not match leaves it open.
 */
@ExtendWith(MotoExtension.class)
class SecurityGroupExceptionMotoTest {
  private static final String REGION = "us-east-2";
  private static final String SSH = "aws-ec2-sg-ssh-open";

  @Test
  void theExceptionSuppressesTheMatchingFindingAndSaysBy(MotoServer moto) {
    String prod;
    String dev;
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      prod = AwsSeed.securityGroup(ec2, "prod-ssh", tcp(22, 22, "0.0.0.0/0"));
      dev = AwsSeed.securityGroup(ec2, "dev-ssh", tcp(22, 22, "0.0.0.0/0"));
      ec2.createTags(b -> b.resources(dev).tags(t -> t.key("env").value("dev")));
      AwsSeed.attach(ec2, prod, dev);
    }
    var bastions =
        OperatorScan.exception(
            "dev-bastions",
            List.of("aws-ec2-sg-*"),
            OperatorScan.cloudMatch(
                List.of(MotoServer.ACCOUNT_ID),
                List.of(REGION),
                List.of("arn:aws:ec2:*:*:security-group/*"),
                Map.of("env", "dev")),
            "bastion hosts in dev accept SSH from anywhere until the VPN lands");
    // every criterion must match: another account, region or tag value waives nothing
    var otherAccount =
        OperatorScan.exception(
            "other-account",
            List.of(SSH),
            OperatorScan.cloudMatch(List.of("999999999999"), null, null, null),
            "r");
    var otherRegion =
        OperatorScan.exception(
            "other-region",
            List.of(SSH),
            OperatorScan.cloudMatch(null, List.of("us-east-1"), null, null),
            "r");
    var otherTag =
        OperatorScan.exception(
            "other-tag",
            List.of(SSH),
            OperatorScan.cloudMatch(null, null, null, Map.of("env", "prod")),
            "r");
    var scan =
        OperatorScan.scan(
            moto.endpoint(),
            List.of(REGION),
            MotoScans.testSettings(),
            OperatorScan.policy(
                "ssh", List.of(SSH), otherAccount, otherRegion, otherTag, bastions));

    assertThat(scan.open(SSH)).containsExactly(prod);
    assertThat(scan.suppressed(SSH, "dev-bastions")).containsExactly(dev);
    assertThat(scan.desired().usedExceptions()).containsExactly("ssh/dev-bastions");
    assertThat(scan.desired().findings())
        .filteredOn(d -> d.suppressedBy() != null)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.suppressedBy().policy()).isEqualTo("ssh");
              assertThat(d.suppressedBy().reason()).contains("bastion");
            });
  }
}
