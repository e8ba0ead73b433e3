package dev.parapet.e2e.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.e2e.chart.ChartSupport;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The release workflow cannot run here (it needs the forge's runners, registry and OIDC issuer).
 * What is checked: actionlint (built from the Go module proxy by scripts/ensure-actionlint.sh, and
 * running shellcheck on the run: scripts when shellcheck is on PATH) accepts every workflow, the
 * linter does catch a broken one, and the release workflow runs the README's test command before it
 * builds, pushes and signs the image and the chart.
 */
class ReleaseWorkflowTest {

  private static final Path WORKFLOWS = ChartSupport.REPO_ROOT.resolve(".github/workflows");
  private static final Path RELEASE = WORKFLOWS.resolve("release.yml");
  private static String actionlint;

  record Run(int code, String out) {}

  @BeforeAll
  static void buildActionlint() throws Exception {
    var r = run(List.of(ChartSupport.REPO_ROOT.resolve("scripts/ensure-actionlint.sh").toString()));
    assertThat(r.code()).as("scripts/ensure-actionlint.sh: " + r.out()).isZero();
    actionlint = r.out().lines().reduce((a, b) -> b).orElseThrow().trim();
  }

  @Test
  void actionlintAcceptsEveryWorkflow() throws Exception {
    List<String> files;
    try (var list = Files.list(WORKFLOWS)) {
      files = list.filter(p -> p.toString().endsWith(".yml")).map(Path::toString).toList();
    }
    assertThat(files).contains(RELEASE.toString());
    var command = new ArrayList<>(List.of(actionlint, "-no-color"));
    command.addAll(files);
    var r = run(command);
    assertThat(r.code()).as(r.out()).isZero();
  }

  /** The linter is not a no-op: an unknown expression context and a bad runner label fail it. */
  @Test
  void actionlintRejectsABrokenCopy() throws Exception {
    var broken =
        Files.readString(RELEASE)
            .replace("runs-on: ubuntu-24.04", "runs-on: ubuntu-2404")
            .replace("${{ secrets.GITHUB_TOKEN }}", "${{ secret.GITHUB_TOKEN }}");
    var dir = Files.createDirectories(ChartSupport.REPO_ROOT.resolve("target/e2e/release"));
    var copy = dir.resolve("broken.yml");
    Files.writeString(copy, broken);
    var r = run(List.of(actionlint, "-no-color", copy.toString()));
    assertThat(r.code()).as(r.out()).isNotZero();
    assertThat(r.out()).contains("secret").contains("ubuntu-2404");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theReleaseTestsBeforeItPublishesAndSignsImageAndChart() throws Exception {
    Map<String, Object> workflow = Serialization.unmarshal(Files.readString(RELEASE), Map.class);
    var jobs = (Map<String, Map<String, Object>>) workflow.get("jobs");
    var test = scripts(jobs.get("test"));
    assertThat(test).contains("bash .ci/run");
    assertThat(Files.readString(ChartSupport.REPO_ROOT.resolve(".ci/run")))
        .contains("./mvnw -B verify");
    var release = jobs.get("release");
    assertThat(release.get("needs")).isEqualTo("test");
    var steps = scripts(release);
    assertThat(steps)
        .contains("scripts/build-image.sh")
        .contains("podman push")
        .contains("cosign sign --yes \"$ref\"")
        .contains("cosign attest")
        .contains("helm package helm/parapet")
        .contains("helm push")
        .contains("gh release create");
    assertThat(steps.indexOf("podman push")).isLessThan(steps.indexOf("cosign sign"));
    var permissions = (Map<String, Object>) release.get("permissions");
    assertThat(permissions).containsEntry("id-token", "write").containsEntry("packages", "write");
  }

  @SuppressWarnings("unchecked")
  private static String scripts(Map<String, Object> job) {
    var out = new StringBuilder();
    for (var step : (List<Map<String, Object>>) job.get("steps")) {
      if (step.get("run") != null) {
        out.append(step.get("run")).append('\n');
      }
    }
    return out.toString();
  }

  private static Run run(List<String> command) throws IOException, InterruptedException {
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
    }
    return new Run(process.exitValue(), out);
  }
}
