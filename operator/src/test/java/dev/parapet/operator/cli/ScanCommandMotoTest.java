package dev.parapet.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code parapet scan} against moto: table rows, formats and exit codes for a seeded account. */
@ExtendWith(MotoExtension.class)
class ScanCommandMotoTest {

  static final String REGION = "eu-west-3";
  static final String POLICY = "src/test/resources/cli/scan-policy.yaml";
  static String endpoint;
  static String openGroup;

  @BeforeAll
  static void seed(MotoServer moto) {
    endpoint = moto.endpoint().toString();
    // The SDK's default chain reads these system properties; the CLI uses that chain.
    System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY_ID);
    System.setProperty("aws.secretAccessKey", MotoServer.SECRET_ACCESS_KEY);
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      openGroup = ec2.createSecurityGroup(b -> b.groupName("cli-ssh").description("ssh")).groupId();
      ec2.authorizeSecurityGroupIngress(
          b ->
              b.groupId(openGroup)
                  .ipPermissions(
                      p ->
                          p.ipProtocol("tcp")
                              .fromPort(22)
                              .toPort(22)
                              .ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
      ec2.runInstances(
          b ->
              b.imageId(AwsSeed.anyImage(ec2)).minCount(1).maxCount(1).securityGroupIds(openGroup));
    }
  }

  @AfterAll
  static void clearCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  record Run(int code, String out, String err) {}

  static Run scan(String... extra) {
    return scanAccount(MotoServer.ACCOUNT_ID, extra);
  }

  static Run scanAccount(String accountId, String... extra) {
    var args = new ArrayList<>(List.of("scan", "--account-id", accountId));
    args.addAll(List.of("--regions", REGION, "--endpoint", endpoint, "--policy", POLICY));
    args.addAll(List.of(extra));
    return run(args);
  }

  static Run run(List<String> args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var code =
        ParapetCli.execute(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(new byte[0]));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void tableHasTheExactRowForTheOpenGroupAndProgressGoesToStderr() {
    var r = scan("--fail-on", "none");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow())
        .matches("NAME +SEVERITY +RULE +RESOURCE +STATE");
    assertThat(r.out().lines().filter(l -> l.contains(" aws-ec2-sg-ssh-open ")).toList())
        .singleElement()
        .asString()
        .matches(
            "aws-ec2-sg-ssh-open-[0-9a-f]{12} +high +aws-ec2-sg-ssh-open +" + openGroup + " +Open");
    assertThat(r.out()).doesNotContain("aws-ec2-snapshot-public");
    assertThat(r.err()).contains("scanning account " + MotoServer.ACCOUNT_ID).contains("API calls");
    assertThat(r.err().lines().filter(l -> l.startsWith("parapet: collected ")).toList())
        .as("progress: regions and services done and left")
        .isNotEmpty()
        .last()
        .asString()
        .matches("parapet: collected (\\d+)/\\1 \\(.+ in .+\\), 0 left");
  }

  @Test
  void exitCodeFollowsFailOn() {
    assertThat(scan("--fail-on", "high").code()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(scan("--fail-on", "critical").code()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void jsonAndYamlAreFindingObjects() throws Exception {
    for (var format : List.of("json", "yaml")) {
      var r = scan("-o", format, "--fail-on", "none");
      var mapper = format.equals("json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
      var items = mapper.readTree(r.out()).path("items");
      var ssh = new ArrayList<Finding>();
      for (var item : items) {
        var f = mapper.treeToValue(item, Finding.class);
        if (f.getSpec().rule().id().equals("aws-ec2-sg-ssh-open")) {
          ssh.add(f);
        }
      }
      assertThat(ssh).as(format).hasSize(1);
      var f = ssh.get(0);
      assertThat(f.getSpec().resource().id()).isEqualTo(openGroup);
      assertThat(f.getSpec().resource().region()).isEqualTo(REGION);
      assertThat(f.getSpec().rule().compliance()).isNotEmpty();
      assertThat(f.getMetadata().getLabels())
          .containsEntry(Finding.LABEL_ACCOUNT, MotoServer.ACCOUNT_ID);
      assertThat(f.getMetadata().getOwnerReferences()).isNullOrEmpty();
    }
  }

  @Test
  void sarifIsStructurallyValid() throws Exception {
    var sarif = new ObjectMapper().readTree(scan("-o", "sarif", "--fail-on", "none").out());
    assertThat(sarif.path("version").asText()).isEqualTo("2.1.0");
    var run = sarif.at("/runs/0");
    var ruleIds = new ArrayList<String>();
    run.at("/tool/driver/rules").forEach(rule -> ruleIds.add(rule.path("id").asText()));
    assertThat(ruleIds).doesNotHaveDuplicates().contains("aws-ec2-sg-ssh-open");
    for (var result : run.path("results")) {
      assertThat(ruleIds.get(result.path("ruleIndex").asInt()))
          .isEqualTo(result.path("ruleId").asText());
      assertThat(result.path("level").asText()).isIn("error", "warning", "note");
      assertThat(result.at("/message/text").asText()).isNotBlank();
    }
  }

  @Test
  void wrongAccountIsAnErrorNamingBothIds() {
    var r = scanAccount("111111111111");
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err())
        .contains(
            "the credentials belong to account "
                + MotoServer.ACCOUNT_ID
                + " (arn:aws:sts::"
                + MotoServer.ACCOUNT_ID)
        .contains("not to --account-id 111111111111; nothing was scanned")
        .doesNotContain("CloudAccount")
        .doesNotContain("scanning account");
  }

  /** A typo in --regions used to print "No findings." and exit 0 with nothing judged. */
  @Test
  void anUnknownRegionIsRejectedBeforeAnyScanNamingTheEnabledOnes() {
    var r =
        run(
            List.of(
                "scan",
                "--account-id",
                MotoServer.ACCOUNT_ID,
                "--regions",
                REGION + ",ap-northeast-9",
                "--endpoint",
                endpoint,
                "--policy",
                POLICY));
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("--regions: unknown region ap-northeast-9")
        .containsPattern("Enabled regions: .*" + REGION)
        .contains("nothing was scanned")
        .doesNotContain("scanning account");
  }

  @Test
  void servicesFlagsScanOnlyThoseServicesWithExcludeWinning() {
    // No --policy: every rule would run, and on moto the IAM root-MFA rule fails.
    var r =
        run(
            List.of(
                "scan",
                "--account-id",
                MotoServer.ACCOUNT_ID,
                "--regions",
                REGION,
                "--endpoint",
                endpoint,
                "--services",
                "ec2,iam",
                "--exclude-services",
                "iam",
                "--fail-on",
                "none"));
    assertThat(r.code()).as(r.err()).isZero();
    var ec2Rules =
        RuleRegistry.defaults().rules().stream()
            .filter(x -> x.id().startsWith("aws-ec2-") || x.id().startsWith("aws-vpc-"))
            .count();
    assertThat(r.err())
        .contains("(" + REGION + "; services ec2, iam; not iam), " + ec2Rules + " rules");
    assertThat(r.err().lines().filter(l -> l.startsWith("parapet: collected ")).toList())
        .as("only EC2 datasets are collected")
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).matches("parapet: collected \\d+/\\d+ \\(ec2 .*"));
    assertThat(r.out()).contains(" aws-ec2-sg-ssh-open ").doesNotContain("aws-iam-");
  }

  @Test
  void unknownServiceIsBadInputNamingTheFlagAndTheValidValues() {
    var r = scan("--services", "ec2,ec3");
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err())
        .contains("--services[1]: unknown service 'ec3'")
        .contains(
            "valid values: cloudtrail, ec2, ecr, eks, elb, guardduty, iam, kms, lambda, rds, s3, secretsmanager, sns, sqs")
        .doesNotContain("collected");
  }

  @Test
  void withoutAccountIdTheAccountIsTheOneTheCredentialsResolveTo() {
    var r =
        run(
            List.of(
                "scan",
                "--regions",
                REGION,
                "--endpoint",
                endpoint,
                "--policy",
                POLICY,
                "--fail-on",
                "none"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("credentials resolve to account " + MotoServer.ACCOUNT_ID)
        .contains("scanning account " + MotoServer.ACCOUNT_ID);
    assertThat(r.out()).contains(openGroup);
  }

  @Test
  void roleArnAndExternalIdAssumeTheRoleOfTheArnsAccount() {
    var r =
        run(
            List.of(
                "scan",
                "--role-arn",
                "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/parapet-scan",
                "--external-id",
                "external-id-example",
                "--regions",
                REGION,
                "--endpoint",
                endpoint,
                "--policy",
                POLICY,
                "--fail-on",
                "none"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("scanning account " + MotoServer.ACCOUNT_ID);
    assertThat(r.out()).contains(openGroup);
    assertThat(r.out() + r.err()).doesNotContain("external-id-example");
  }

  @Test
  void aRoleArnThatIsNotOneIsBadInput() {
    var r = run(List.of("scan", "--role-arn", "arn:aws:iam::12:user/x", "--endpoint", endpoint));
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).contains("--role-arn").contains("is not an IAM role ARN");
  }
}
