package dev.parapet.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.IamPolicyGenerator;
import dev.parapet.operator.aws.engine.RuleCatalogue;
import dev.parapet.operator.aws.events.activity.ActivityRules;
import dev.parapet.operator.aws.rules.RuleRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/rules.md} and {@code deploy/aws/iam-policy.json} are generated from the rule metadata
 * and must match it; {@code deploy/aws/securityhub-export-policy.json} from the Security Hub
 * exporter's actions. Regenerate with {@value #COMMAND}.
 */
class CatalogueDriftTest {
  static final String COMMAND =
      "./mvnw -B -pl operator -am test -Dtest=CatalogueDriftTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dparapet.update=true";

  @Test
  void ruleTableMatchesTheRules() throws IOException {
    // The cluster audit's RBAC and attack-path rules follow the AWS and activity rules, each with
    // an example.
    check(
        Path.of("docs", "rules.md"),
        RuleCatalogue.markdown(RuleRegistry.defaults().rules(), ActivityRules.ALL)
            + dev.parapet.operator.paths.ClusterRuleDocs.markdown());
  }

  @Test
  void iamPolicyMatchesTheRules() throws IOException {
    var json = IamPolicyGenerator.policyJson(RuleRegistry.defaults().rules());
    assertThat(json).contains("\"sts:GetCallerIdentity\"").contains("\"ec2:DescribeRegions\"");
    check(Path.of("deploy", "aws", "iam-policy.json"), json);
  }

  /** The export policy is generated too, from the exporter's action list, and kept apart. */
  @Test
  void securityHubExportPolicyMatchesTheExporter() throws IOException {
    var json = IamPolicyGenerator.exportPolicyJson();
    assertThat(json)
        .contains("\"securityhub:BatchImportFindings\"")
        .contains(IamPolicyGenerator.EXPORT_RESOURCE)
        .doesNotContain("\"Resource\": \"*\"");
    assertThat(IamPolicyGenerator.policyJson(RuleRegistry.defaults().rules()))
        .as("the read-only policy never grants the export's write action")
        .doesNotContain("securityhub:BatchImportFindings");
    check(Path.of("deploy", "aws", "securityhub-export-policy.json"), json);
  }

  /** The AwsOrganization listing's policy, from OrganizationLister's action list. */
  @Test
  void organizationPolicyMatchesTheLister() throws IOException {
    var json = IamPolicyGenerator.organizationPolicyJson();
    assertThat(json)
        .contains("\"organizations:ListAccountsForParent\"")
        .doesNotContain("organizations:Create")
        .doesNotContain("sts:AssumeRole");
    check(Path.of("deploy", "aws", "organization-policy.json"), json);
  }

  private static void check(Path relative, String expected) throws IOException {
    var file = repoRoot().resolve(relative);
    if (Boolean.getBoolean("parapet.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, expected, StandardCharsets.UTF_8);
    }
    assertThat(file).as("%s is missing; generate it with: %s", relative, COMMAND).exists();
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as("%s is out of date with the rule metadata; regenerate it with: %s", relative, COMMAND)
        .isEqualTo(expected);
  }

  static Path repoRoot() {
    var root = System.getProperty("parapet.repo.root");
    if (root != null && !root.isBlank() && !root.contains("${")) {
      return Path.of(root);
    }
    return Path.of("").toAbsolutePath().getParent();
  }
}
