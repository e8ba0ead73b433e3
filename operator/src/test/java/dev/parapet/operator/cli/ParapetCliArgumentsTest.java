package dev.parapet.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Argument errors picocli reports itself: exit 2, and what it echoes goes through the Redactor. */
class ParapetCliArgumentsTest {

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var code =
        ParapetCli.execute(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(new byte[0]));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aKeyPastedAsAStrayArgumentIsNotEchoed() {
    // AWS's documented example key id, pasted where no argument belongs
    var r = run("scan", "AKIAIOSFODNN7EXAMPLE");
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err())
        .startsWith("parapet: Unmatched argument")
        .doesNotContain("AKIAIOSFODNN7EXAMPLE");
    assertThat(r.err()).contains("Usage: parapet scan");
  }

  @Test
  void aKeyInAnUnknownOptionIsNotEchoed() {
    var r = run("scan", "--aws-access-key-id=AKIAIOSFODNN7EXAMPLE");
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).contains("Unknown option").doesNotContain("AKIAIOSFODNN7EXAMPLE");
  }

  @Test
  void aMisspelledOptionStillGetsItsSuggestion() {
    var r = run("scan", "--region", "eu-west-1");
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).contains("'--region'").contains("Possible solutions: --regions");
  }
}
