package dev.parapet.e2e.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parapet.e2e.chart.ChartSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The image scripts/build-image.sh built (target/image/build.env) and the podman CLI, with the
 * flags this kind of host needs (runc, explicit ulimits; see docs/testing.md). Every container a
 * test starts carries a label naming the test run, and {@link #removeOwnContainers} removes them.
 */
final class Podman {

  static final Path BUILD_ENV = ChartSupport.REPO_ROOT.resolve("target/image/build.env");

  /** Marks the containers (and networks) of one test JVM, for clean-up. */
  static final String RUN_LABEL = "dev.parapet.e2e.run=" + UUID.randomUUID();

  private static final List<String> PODMAN = List.of("podman", "--runtime", "runc");

  record Result(int code, String out, String err) {
    String both() {
      return (out + "\n" + err).trim();
    }
  }

  private Podman() {}

  /** The build's facts; fails with one line when the image was not built. */
  static Map<String, String> build() {
    assertThat(BUILD_ENV)
        .as(
            "the container image (built by scripts/build-image.sh in src/test's"
                + " process-test-classes phase: ./mvnw -B -o -pl src/test -am verify)")
        .exists();
    var props = new Properties();
    try (var in = Files.newInputStream(BUILD_ENV)) {
      props.load(in);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + BUILD_ENV, e);
    }
    var out = new LinkedHashMap<String, String>();
    props.forEach((k, v) -> out.put(k.toString(), v.toString()));
    return out;
  }

  static String image() {
    return build().get("IMAGE");
  }

  /** Fails (never skips) with one clear line when podman cannot run containers here. */
  static void requireWorking() {
    Result info;
    try {
      info = run(Duration.ofSeconds(60), "info", "--format", "{{.Host.OCIRuntime.Name}}");
    } catch (AssertionError e) {
      throw new AssertionError(
          "podman cannot run here (scripts/ensure-podman.sh installs it; the image tests need"
              + " root): "
              + e.getMessage().lines().findFirst().orElse(""));
    }
    if (info.code() != 0 || !info.out().contains("runc")) {
      throw new AssertionError(
          "podman cannot run here with the runc runtime: "
              + info.both().lines().reduce((a, b) -> b).orElse("no output"));
    }
  }

  static Result run(Duration timeout, String... args) {
    return run(timeout, List.of(args));
  }

  static Result run(Duration timeout, List<String> args) {
    var command = new ArrayList<>(PODMAN);
    command.addAll(args);
    try {
      var dir = Files.createDirectories(ChartSupport.REPO_ROOT.resolve("target/e2e/image"));
      var out = Files.createTempFile(dir, "podman-out-", ".txt");
      var err = Files.createTempFile(dir, "podman-err-", ".txt");
      var process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
      }
      var result =
          new Result(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return result;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + String.join(" ", command));
    }
  }

  /** Runs and asserts exit 0; returns stdout. */
  static String ok(Duration timeout, String... args) {
    var r = run(timeout, args);
    assertThat(r.code()).as("podman " + String.join(" ", args) + ":\n" + r.both()).isZero();
    return r.out();
  }

  static JsonNode inspectImage(String image) {
    return json(ok(Duration.ofSeconds(60), "image", "inspect", image)).get(0);
  }

  static JsonNode inspectContainer(String container) {
    return json(ok(Duration.ofSeconds(60), "container", "inspect", container)).get(0);
  }

  static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /**
   * The flags of the chart's securityContext and resources for a container: read-only root
   * filesystem, every capability dropped, no privilege escalation, the chart's uid/gid and memory
   * limit, plus what this host needs (ulimits it cannot raise) and the clean-up label.
   */
  static List<String> chartSecurityFlags(long uid, long gid, String memoryLimit) {
    return List.of(
        "--label",
        RUN_LABEL,
        "--read-only",
        "--cap-drop=ALL",
        "--security-opt=no-new-privileges",
        "--user=" + uid + ":" + gid,
        "--memory=" + memoryLimit,
        "--ulimit=nofile=20000:20000",
        "--ulimit=nproc=32768:32768",
        // The chart mounts an emptyDir of 64Mi at /tmp; podman's --read-only gives a tmpfs there.
        "--tmpfs=/tmp:rw,size=64m,mode=1777");
  }

  /** Kubernetes quantity (384Mi, 512Mi, 1Gi) to podman's notation (384m, 512m, 1g). */
  static String memory(String quantity) {
    if (quantity.endsWith("Mi")) {
      return quantity.substring(0, quantity.length() - 2) + "m";
    }
    if (quantity.endsWith("Gi")) {
      return quantity.substring(0, quantity.length() - 2) + "g";
    }
    throw new AssertionError("unsupported memory quantity in the chart: " + quantity);
  }

  /**
   * Kubernetes CPU quantity (1, "2", 500m) to podman's --cpus (1, 2, 0.5): the CFS quota the JVM
   * reads to count its processors (1 CPU: the serial collector), as in the chart's pod.
   */
  static String cpus(String quantity) {
    if (quantity.endsWith("m")) {
      return java.math.BigDecimal.valueOf(
              Long.parseLong(quantity.substring(0, quantity.length() - 1)), 3)
          .stripTrailingZeros()
          .toPlainString();
    }
    return new java.math.BigDecimal(quantity).stripTrailingZeros().toPlainString();
  }

  /**
   * Whether the container's JVM (its main process) has the image's CDS archive mapped: the JVM maps
   * the archive it uses and unmaps an archive it rejects, so this tells a pod that uses the archive
   * from one that silently started without it (-Xshare:auto, the image's default).
   */
  static boolean mapsTheCdsArchive(String container) throws IOException {
    var maps = Files.readAllLines(Path.of("/proc", Long.toString(pid(container)), "maps"));
    return maps.stream().anyMatch(l -> l.endsWith(" " + CDS_ARCHIVE));
  }

  /** The CDS archive the image build's training run writes (Containerfile). */
  static final String CDS_ARCHIVE = "/deployments/app.jsa";

  /** Removes every container this test JVM started (by label); returns what podman said. */
  static String removeOwnContainers() {
    var ids = run(Duration.ofSeconds(60), "ps", "-aq", "--filter", "label=" + RUN_LABEL);
    var out = new StringBuilder();
    for (var id : ids.out().lines().filter(l -> !l.isBlank()).toList()) {
      var r = run(Duration.ofSeconds(60), "rm", "-f", "-t", "10", id);
      out.append(r.both()).append('\n');
    }
    var left = run(Duration.ofSeconds(60), "ps", "-aq", "--filter", "label=" + RUN_LABEL).out();
    assertThat(left.trim()).as("containers of this test run left behind").isEmpty();
    return out.toString();
  }

  /** The host pid of a running container's main process. */
  static long pid(String container) {
    return inspectContainer(container).path("State").path("Pid").asLong();
  }

  /** Lines of /proc/PID/status as a map (Uid, Gid, CapEff, NoNewPrivs, VmRSS, ...). */
  static Map<String, String> procStatus(long pid) throws IOException {
    var out = new LinkedHashMap<String, String>();
    for (var line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      var colon = line.indexOf(':');
      if (colon > 0) {
        out.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return out;
  }

  /** The container's log (stdout and stderr), for assertion messages. */
  static String logs(String container) {
    var r = run(Duration.ofSeconds(30), "logs", container);
    var lines = r.both().lines().toList();
    return "\n--- container "
        + container
        + " log (tail) ---\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  /**
   * Polls http://127.0.0.1:{port}{path} until it answers 200; returns the seconds since {@code
   * startedNanos}. Fails with the container's log when it exits or does not get there in time.
   */
  static double awaitHttp200(String container, int port, String path, long startedNanos)
      throws InterruptedException {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    var uri = URI.create("http://127.0.0.1:" + port + path);
    var deadline = startedNanos + TimeUnit.SECONDS.toNanos(180);
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      var state = inspectContainer(container).path("State");
      if (!state.path("Running").asBoolean()) {
        throw new AssertionError(
            "container "
                + container
                + " exited with "
                + state.path("ExitCode").asInt()
                + logs(container));
      }
      try {
        var r =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return (System.nanoTime() - startedNanos) / 1e9;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        uri + " did not answer 200 within 180 s (last: " + last + ")" + logs(container));
  }
}
