package dev.parapet.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.RuleRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every AWS rule id (or id prefix) the shipped examples name is a real rule. */
class ExampleRuleIdsTest {
  private static final Pattern AWS_ID = Pattern.compile("\\baws-[a-z0-9-]+\\*?");

  @Test
  void examplesNameOnlyExistingRules() throws IOException {
    var ids = RuleRegistry.defaults().rules().stream().map(AwsRule::id).toList();
    var examples = CatalogueDriftTest.repoRoot().resolve("examples");
    try (var files = Files.list(examples)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        var matcher = AWS_ID.matcher(Files.readString(file));
        while (matcher.find()) {
          var named = matcher.group();
          if (named.startsWith("aws-fsbp")) {
            continue; // the framework name, not a rule
          }
          var prefix = named.endsWith("*") ? named.substring(0, named.length() - 1) : null;
          assertThat(ids)
              .as("%s names rule %s", examples.relativize(file), named)
              .anyMatch(id -> prefix == null ? id.equals(named) : id.startsWith(prefix));
        }
      }
    }
  }
}
