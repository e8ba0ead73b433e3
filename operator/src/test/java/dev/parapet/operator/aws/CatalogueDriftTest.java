package dev.parapet.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.IamPolicyGenerator;
import dev.parapet.operator.aws.engine.RuleCatalogue;
import dev.parapet.operator.aws.rules.RuleRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/rules.md} and {@code deploy/aws/iam-policy.json} are generated from the rule metadata
 * and must match it. Regenerate with {@value #COMMAND}.
 */
class CatalogueDriftTest {
  static final String COMMAND =
      "./mvnw -B -pl operator -am test -Dtest=CatalogueDriftTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dparapet.update=true";

  @Test
  void ruleTableMatchesTheRules() throws IOException {
    check(Path.of("docs", "rules.md"), RuleCatalogue.markdown(RuleRegistry.defaults().rules()));
  }

  @Test
  void iamPolicyMatchesTheRules() throws IOException {
    var json = IamPolicyGenerator.policyJson(RuleRegistry.defaults().rules());
    assertThat(json).contains("\"sts:GetCallerIdentity\"").contains("\"ec2:DescribeRegions\"");
    check(Path.of("deploy", "aws", "iam-policy.json"), json);
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
