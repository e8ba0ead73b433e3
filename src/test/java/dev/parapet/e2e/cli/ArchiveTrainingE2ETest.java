package dev.parapet.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code parapet train-archive}, as the image build runs it ({@code java
 * -XX:ArchiveClassesAtExit=... -jar quarkus-run.jar train-archive}), here on the host's JVM: the
 * controller comes up against the training API server and the JVM exits normally, writing a CDS
 * archive that holds the controller's classes and none of the training's own (the mock API server
 * runs in a child JVM, and the readiness probe is a plain socket), and the child JVM is gone
 * afterwards.
 */
class ArchiveTrainingE2ETest {

  /** "1234: dev.parapet.operator.Main unregistered_loader" in -XX:+PrintSharedArchiveAndExit. */
  private static final Pattern ARCHIVED = Pattern.compile("^\\s*\\d+: (\\S+) \\S+$");

  @Test
  void theArchiveHoldsTheControllersClassesAndNotTheTrainingsOwn() throws Exception {
    var dir = Files.createDirectories(PackagedCli.ROOT.resolve("target/e2e/cli"));
    var archive = dir.resolve("train-archive-test.jsa");
    Files.deleteIfExists(archive);
    var started = Instant.now();

    var training = java(dir, "-XX:ArchiveClassesAtExit=" + archive, "train-archive");
    assertThat(training.code()).as(training.out()).isZero();
    assertThat(training.out()).contains("parapet train-archive: the controller is ready; exiting");
    assertThat(archive).exists();

    var listing = java(dir, "-XX:SharedArchiveFile=" + archive, "-XX:+PrintSharedArchiveAndExit");
    assertThat(listing.code()).as(listing.out()).isZero();
    var classes =
        listing
            .out()
            .lines()
            .map(ARCHIVED::matcher)
            .filter(m -> m.matches())
            .map(m -> m.group(1))
            .toList();
    // What a controller loads by ready: the launcher, the reconcilers, the Fabric8 client.
    assertThat(classes)
        .contains(
            "dev.parapet.operator.Main",
            "dev.parapet.operator.cloudaccount.CloudAccountReconciler",
            "io.fabric8.kubernetes.client.impl.KubernetesClientImpl");
    // What only the training used: the mock API server, the JDK's HTTP client, and the HTTP/2
    // connection that client's upgrade request made of the management port's.
    assertThat(classes)
        .noneMatch(c -> c.startsWith("io.fabric8.mockwebserver."))
        .noneMatch(c -> c.startsWith("io.fabric8.kubernetes.client.server.mock."))
        .noneMatch(c -> c.startsWith("jdk.internal.net.http."))
        .doesNotContain(
            "dev.parapet.operator.demo.TrainingApiServer",
            "io.netty.handler.codec.http2.DefaultHttp2Connection",
            "io.vertx.core.http.impl.Http2ServerConnection");

    // The training API server's JVM ended with the training JVM.
    var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<ProcessHandle> left;
    do {
      left =
          ProcessHandle.allProcesses()
              .filter(p -> p.info().startInstant().map(t -> !t.isBefore(started)).orElse(false))
              .filter(
                  p ->
                      p.info()
                          .arguments()
                          .map(
                              a ->
                                  List.of(a)
                                      .contains("dev.parapet.operator.demo.TrainingApiServer"))
                          .orElse(false))
              .filter(ProcessHandle::isAlive)
              .toList();
      if (!left.isEmpty()) {
        Thread.sleep(200);
      }
    } while (!left.isEmpty() && System.nanoTime() < deadline);
    assertThat(left).as("training API server processes left running").isEmpty();
  }

  private record Result(int code, String out) {}

  /** {@code java OPTIONS -jar quarkus-run.jar [command]}, run from the fast-jar's directory. */
  private static Result java(Path dir, String... optionsThenCommand) throws Exception {
    var java = ProcessHandle.current().info().command().orElse("java");
    var command = new ArrayList<String>();
    command.add(java);
    var rest = new ArrayList<String>();
    for (var a : optionsThenCommand) {
      (a.startsWith("-") ? command : rest).add(a);
    }
    command.addAll(List.of("-jar", PackagedCli.JAR.toString()));
    command.addAll(rest);
    var out = Files.createTempFile(dir, "train-", ".txt");
    var process =
        new ProcessBuilder(command)
            .directory(PackagedCli.JAR.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!process.waitFor(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("did not finish in 5 minutes: " + Files.readString(out));
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
