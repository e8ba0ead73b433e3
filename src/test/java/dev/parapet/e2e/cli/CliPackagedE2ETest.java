package dev.parapet.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code scan} and {@code check} through the packaged application, as a CI job runs them: exit
 * codes, output, and no Quarkus or Kubernetes start-up (the CLI paths do not boot the operator).
 */
class CliPackagedE2ETest {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final String FIXTURES = "operator/src/test/resources/cli/";

  /**
   * Lines only a booted Quarkus application prints (seen on {@code run}: the banner, then the
   * Operator SDK's start-up lines).
   */
  private static void assertNoApplicationBoot(PackagedCli.Result r) {
    assertThat(r.out() + r.err())
        .doesNotContain("__  ____  __  _____") // the Quarkus banner
        .doesNotContain("Installed features")
        .doesNotContain("Operator SDK");
  }

  @Test
  void checkFailsOnTheForbiddenPortAndNamesFileAndLine() throws Exception {
    var r = PackagedCli.run(TIMEOUT, Map.of(), "check", "-f", FIXTURES + "workloads.yaml");
    assertThat(r.code()).as("stdout:\n%s\nstderr:\n%s", r.out(), r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("WARN  " + FIXTURES + "workloads.yaml:3  Deployment shop/web: container \"web\"")
        .contains("exposes forbidden port 22/TCP [rule port-forbidden")
        .contains("3 object(s) checked, 1 violation(s)");
    assertNoApplicationBoot(r);
  }

  @Test
  void checkOfMalformedYamlIsAnErrorWithFileAndPosition() throws Exception {
    var r = PackagedCli.run(TIMEOUT, Map.of(), "check", "-f", FIXTURES + "broken.yaml");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("broken.yaml").containsPattern("line \\d+");
    assertNoApplicationBoot(r);
  }

  @Test
  void scanOfAnEmulatedAccountPrintsTheOpenGroupAndFailsOnHigh() throws Exception {
    var moto = MotoServer.shared();
    moto.reset();
    String group;
    var region = "ap-northeast-1";
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      group = AwsSeed.securityGroup(ec2, "packaged-ssh", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      AwsSeed.attach(ec2, group);
    }
    // The default credential chain, from the environment as in a CI job.
    var env =
        Map.of(
            "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
    var args =
        new String[] {
          "scan",
          "--account-id",
          MotoServer.ACCOUNT_ID,
          "--regions",
          region,
          "--endpoint",
          moto.endpoint().toString(),
          "--policy",
          FIXTURES + "scan-policy.yaml"
        };
    var r = PackagedCli.run(TIMEOUT, env, args);
    assertThat(r.code()).as("stdout:\n%s\nstderr:\n%s", r.out(), r.err()).isEqualTo(1);
    assertThat(r.out())
        .containsPattern(
            "aws-ec2-sg-ssh-open-[0-9a-f]{12} +high +aws-ec2-sg-ssh-open +" + group + " +Open");
    assertNoApplicationBoot(r);
  }
}
