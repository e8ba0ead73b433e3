package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.testing.AwsSeed.tcp;
import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * EC2 / VPC rules end to end against moto: seed a violating resource and its clean twin through the
 * SDK, scan with the real engine, expect exactly one FAIL for the violator and none for the twin.
 * Each test uses its own region, so tests in this class do not see each other's resources.
 */
@ExtendWith(MotoExtension.class)
class Ec2RulesMotoTest {

  @Test
  void sshOpenToTheInternetFailsOnlyTheOpenGroup(MotoServer moto) {
    var region = "eu-west-1";
    String open;
    String closed;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      open = AwsSeed.securityGroup(ec2, "ssh-open", tcp(22, 22, "0.0.0.0/0"));
      closed = AwsSeed.securityGroup(ec2, "ssh-office", tcp(22, 22, "203.0.113.0/24"));
      AwsSeed.attach(ec2, open, closed);
    }
    var report = MotoScans.scan(moto, List.of(region), CloudPolicy.only("aws-ec2-sg-ssh-open"));

    assertThat(failedIds(report, "aws-ec2-sg-ssh-open")).containsExactly(open);
    assertThat(passedIds(report, "aws-ec2-sg-ssh-open")).contains(closed);
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    var fail = report.failures().get(0);
    assertThat(fail.resource().arn())
        .isEqualTo(
            "arn:aws:ec2:" + region + ":" + MotoServer.ACCOUNT_ID + ":security-group/" + open);
    assertThat(fail.evidence()).contains("port 22").contains("0.0.0.0/0");
  }
}
