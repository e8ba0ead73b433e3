package dev.parapet.operator.cli;

import static dev.parapet.operator.cli.CheckCommandTest.DIR;
import static dev.parapet.operator.cli.CheckCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.PosturePolicySpec.Language;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's language without --lang: the policy file, then the locale, then English. */
class LanguageDefaultTest {

  @TempDir Path dir;

  private Path policy(String language) throws Exception {
    var file = dir.resolve("policy.yaml");
    Files.writeString(
        file,
        """
        apiVersion: parapet.dev/v1alpha1
        kind: PosturePolicy
        metadata: {name: b-second}
        spec:
          reporting: {language: en}
        ---
        apiVersion: parapet.dev/v1alpha1
        kind: PosturePolicy
        metadata: {name: a-first}
        spec:
          reporting: {language: %s}
        """
            .formatted(language));
    return file;
  }

  @Test
  void thePolicyFilesLanguageIsTheDefaultAndLangOverridesIt() throws Exception {
    var file = policy("ja").toString();
    var ja = run("", "check", "-f", DIR + "workloads.yaml", "--policy", file);
    assertThat(ja.out()).contains("ポートを削除するか");
    var en = run("", "check", "-f", DIR + "workloads.yaml", "--policy", file, "--lang", "en");
    assertThat(en.out()).doesNotContain("ポートを削除するか");
  }

  @Test
  void theFirstPolicyByNameWinsThenTheLocaleThenEnglish() throws Exception {
    var options = new CommonOptions();
    options.env = Map.of("LANG", "ja_JP.UTF-8");
    assertThat(options.defaultLanguage()).isEqualTo(Language.JA);
    options.env = Map.of("LANG", "ja_JP.UTF-8", "LC_ALL", "C.UTF-8");
    assertThat(options.defaultLanguage()).as("LC_ALL before LANG").isEqualTo(Language.EN);
    options.env = Map.of();
    assertThat(options.defaultLanguage()).isEqualTo(Language.EN);
    options.policy = policy("ja");
    assertThat(options.defaultLanguage()).as("a-first sets ja").isEqualTo(Language.JA);
    options.env = Map.of("LANG", "ja_JP.UTF-8");
    options.policy = policy("en");
    assertThat(options.defaultLanguage())
        .as("the policy wins over the locale")
        .isEqualTo(Language.EN);
    options.policy = dir.resolve("missing.yaml");
    assertThat(options.defaultLanguage()).as("unreadable file: the locale").isEqualTo(Language.JA);
  }
}
