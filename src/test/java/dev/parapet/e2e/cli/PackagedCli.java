package dev.parapet.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged application ({@code java -jar quarkus-run.jar ...}) as a user would. */
final class PackagedCli {

  static final Path ROOT = repoRoot();
  static final Path JAR = ROOT.resolve("operator/target/quarkus-app/quarkus-run.jar");

  record Result(int code, String out, String err) {}

  private PackagedCli() {}

  static Result run(Duration timeout, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    assertThat(JAR)
        .as("the packaged application (run the reactor with verify, or -pl src/test -am)")
        .exists();
    var java = ProcessHandle.current().info().command().orElse("java");
    var command = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
    command.addAll(List.of(args));
    var dir = Files.createDirectories(ROOT.resolve("target/e2e/cli"));
    var out = Files.createTempFile(dir, "out-", ".txt");
    var err = Files.createTempFile(dir, "err-", ".txt");
    var builder =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().putAll(env);
    var process = builder.start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(
          "parapet "
              + String.join(" ", args)
              + " did not finish within "
              + timeout
              + "; output so far:\n"
              + Files.readString(out)
              + Files.readString(err));
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static Path repoRoot() {
    var configured = System.getProperty("parapet.repo.root");
    if (configured != null && !configured.isBlank() && !configured.contains("${")) {
      return Path.of(configured);
    }
    for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("crds"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find the repository root");
  }
}
