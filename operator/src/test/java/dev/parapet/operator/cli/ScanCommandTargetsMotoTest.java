package dev.parapet.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code parapet scan --target-tag / --exclude-tag} on moto: the CLI's spec.scan.targets. */
@ExtendWith(MotoExtension.class)
class ScanCommandTargetsMotoTest {
  static final String REGION = "eu-west-3";
  static String endpoint;
  static String prodGroup;
  static String devGroup;

  @BeforeAll
  static void seed(MotoServer moto) {
    endpoint = moto.endpoint().toString();
    System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY_ID);
    System.setProperty("aws.secretAccessKey", MotoServer.SECRET_ACCESS_KEY);
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      prodGroup = AwsSeed.securityGroup(ec2, "cli-prod", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      ec2.createTags(b -> b.resources(prodGroup).tags(t -> t.key("env").value("prod")));
      devGroup = AwsSeed.securityGroup(ec2, "cli-dev", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      ec2.createTags(b -> b.resources(devGroup).tags(t -> t.key("env").value("dev")));
      AwsSeed.attach(ec2, prodGroup, devGroup);
    }
  }

  @AfterAll
  static void clearCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  static ScanCommandMotoTest.Run scan(String... extra) {
    var args =
        new ArrayList<>(
            List.of(
                "scan",
                "--account-id",
                MotoServer.ACCOUNT_ID,
                "--regions",
                REGION,
                "--endpoint",
                endpoint,
                "--services",
                "ec2",
                "--fail-on",
                "none"));
    args.addAll(List.of(extra));
    return ScanCommandMotoTest.run(args);
  }

  static List<String> sshRows(String out) {
    return out.lines().filter(l -> l.contains(" aws-ec2-sg-ssh-open ")).toList();
  }

  @Test
  void targetTagReportsOnlyTaggedResourcesAndSaysHowManyWereLeftOut() {
    var r = scan("--target-tag", "env=prod");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(sshRows(r.out())).singleElement().asString().contains(prodGroup);
    assertThat(r.err())
        .contains("; resources: include env=prod)")
        .containsPattern("parapet: [1-9]\\d* result\\(s\\) of resources outside the scan target");
    assertThat(r.out()).contains("aws-ec2-ebs-default-encryption-off");
  }

  @Test
  void excludeTagByKeyWinsOverTargetTag() {
    var r = scan("--target-tag", "env=prod", "--target-tag", "env=dev", "--exclude-tag", "env");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(sshRows(r.out())).isEmpty();
    var onlyDev = scan("--exclude-tag", "env=prod");
    assertThat(sshRows(onlyDev.out())).singleElement().asString().contains(devGroup);
  }

  @Test
  void aTagWithoutKeyIsBadInputBeforeAnyCall() {
    var r = scan("--target-tag", "=prod");
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err())
        .contains("--target-tag: '=prod' has no tag key")
        .doesNotContain("credentials");
    assertThat(r.err()).doesNotContain("scanning account");
  }
}
