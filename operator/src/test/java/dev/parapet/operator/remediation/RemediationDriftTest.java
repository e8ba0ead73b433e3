package dev.parapet.operator.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.rules.RuleRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/**
 * The remediation table is the one source of the docs table (docs/remediation.md, between its
 * markers) and of the write-role policy (deploy/aws/remediation-policy.json, which the
 * CloudFormation template's optional write role grants: AwsScanRoleTemplateTest). Regenerate with
 * {@value #COMMAND}.
 */
class RemediationDriftTest {
  static final String COMMAND =
      "./mvnw -B -o -pl core,crds,webhook,operator test -Dtest=RemediationDriftTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dparapet.update=true";
  static final String BEGIN = "<!-- BEGIN generated: RemediationCatalogue.markdownTable() -->\n";
  static final String END = "<!-- END generated -->";

  @Test
  void everyActionNamesAShippedRuleOnceAndOnlyNamedIamActions() {
    var rules = new HashSet<String>();
    RuleRegistry.defaults().rules().forEach(r -> rules.add(r.definition().id()));
    var seen = new HashSet<String>();
    for (var a : RemediationCatalogue.actions()) {
      assertThat(rules).as("rule of %s", a.id()).contains(a.ruleId());
      assertThat(seen.add(a.ruleId())).as("one action per rule: %s", a.ruleId()).isTrue();
      assertThat(a.iamActions())
          .isNotEmpty()
          .allSatisfy(x -> assertThat(x).matches("^[a-z0-9]+:[A-Z][A-Za-z]+$"));
    }
    assertThat(RemediationCatalogue.forRule("aws-ec2-sg-ssh-open"))
        .get()
        .extracting(RemediationAction::id)
        .isEqualTo("ec2-revoke-ssh-ingress");
    // never a delete: the write role cannot remove what it changes
    assertThat(RemediationCatalogue.iamActions(RemediationCatalogue.actions()))
        .noneMatch(x -> x.contains(":Delete"))
        .contains("ec2:RevokeSecurityGroupIngress", "iam:UpdateAccessKey");
  }

  @Test
  void writePolicyMatchesTheActions() throws IOException {
    var json = RemediationCatalogue.policyJson();
    assertThat(json).contains("\"ec2:ModifyInstanceMetadataOptions\"");
    var file = root().resolve("deploy/aws/remediation-policy.json");
    if (Boolean.getBoolean("parapet.update")) {
      Files.writeString(file, json, StandardCharsets.UTF_8);
    }
    assertThat(file).as("generate it with: %s", COMMAND).exists();
    assertThat(Files.readString(file)).as("out of date; regenerate: %s", COMMAND).isEqualTo(json);
  }

  @Test
  void docsTableMatchesTheActions() throws IOException {
    var file = root().resolve("docs/remediation.md");
    var text = Files.readString(file);
    var begin = text.indexOf(BEGIN);
    var end = text.indexOf(END, Math.max(0, begin));
    assertThat(begin).as("markers in docs/remediation.md").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    var table = RemediationCatalogue.markdownTable();
    if (Boolean.getBoolean("parapet.update")) {
      text = text.substring(0, begin + BEGIN.length()) + table + text.substring(end);
      Files.writeString(file, text, StandardCharsets.UTF_8);
      end = text.indexOf(END, begin);
    }
    assertThat(text.substring(begin + BEGIN.length(), end))
        .as("docs/remediation.md's table is out of date; regenerate: %s", COMMAND)
        .isEqualTo(table);
  }

  private static Path root() {
    var root = System.getProperty("parapet.repo.root");
    if (root != null && !root.isBlank() && !root.contains("${")) {
      return Path.of(root);
    }
    return Path.of("").toAbsolutePath().getParent();
  }
}
