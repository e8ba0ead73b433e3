package dev.parapet.e2e.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parapet.e2e.chart.ChartSupport;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart (as `helm template` renders it with default values) and the built image (as `podman
 * image inspect` and its files show it) agree: image name and tag, uid/gid, ports, probe ports, JVM
 * options; the image carries its OCI labels, the SBOM and a CA store, and starts with no shell. The
 * OCI archive beside it holds the same image.
 */
class ImageChartAgreementTest {

  private static Map<String, String> build;
  private static JsonNode image;
  private static JsonNode config;
  private static List<Container> containers;

  @BeforeAll
  static void renderAndInspect() {
    Podman.requireWorking();
    build = Podman.build();
    image = Podman.inspectImage(build.get("IMAGE"));
    config = image.path("Config");
    var chart = ChartSupport.render(Map.of());
    containers =
        chart.all(Deployment.class).stream()
            .map(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0))
            .toList();
    assertThat(containers).hasSize(2);
  }

  @Test
  void theChartsDefaultImageIsTheBuiltOne() {
    for (var c : containers) {
      assertThat(c.getImage()).as(c.getName()).isEqualTo(build.get("IMAGE"));
      assertThat(image.path("RepoTags").toString()).contains(c.getImage());
    }
  }

  @Test
  void theImagesUserIsTheChartsRunAsUserAndGroup() {
    for (var c : containers) {
      var security = c.getSecurityContext();
      assertThat(config.path("User").asText())
          .as(c.getName())
          .isEqualTo(security.getRunAsUser() + ":" + security.getRunAsGroup());
      assertThat(security.getRunAsNonRoot()).isTrue();
      assertThat(security.getRunAsUser()).isNotZero();
    }
  }

  @Test
  void everyChartContainerPortAndProbePortIsExposedByTheImage() {
    var exposed = new HashSet<Integer>();
    config
        .path("ExposedPorts")
        .fieldNames()
        .forEachRemaining(p -> exposed.add(Integer.parseInt(p.replace("/tcp", ""))));
    var chartPorts = new HashSet<Integer>();
    for (var c : containers) {
      c.getPorts().stream().map(ContainerPort::getContainerPort).forEach(chartPorts::add);
      for (var probe : probes(c)) {
        var port = probe.getHttpGet().getPort().getStrVal();
        var number =
            c.getPorts().stream()
                .filter(p -> port.equals(p.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + ": no port named " + port))
                .getContainerPort();
        assertThat(exposed)
            .as(c.getName() + " probe " + probe.getHttpGet().getPath())
            .contains(number);
        assertThat(probe.getHttpGet().getPath()).startsWith("/q/health/");
      }
    }
    assertThat(exposed).isEqualTo(chartPorts);
  }

  /** The probe paths exist in the application the image carries (its health endpoints). */
  @Test
  void theProbePathsAreServedByTheImagesApplication() throws Exception {
    var paths =
        containers.stream()
            .flatMap(c -> probes(c).stream())
            .map(p -> p.getHttpGet().getPath())
            .distinct()
            .toList();
    assertThat(paths).containsExactlyInAnyOrder("/q/health/live", "/q/health/ready");
    // Quarkus SmallRye Health serves both under the management root; the lib is in the image.
    var root = mount();
    try (var jars = Files.list(root.resolve("deployments/lib/main"))) {
      assertThat(jars.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("io.quarkus.quarkus-smallrye-health-"));
    } finally {
      unmount();
    }
  }

  /**
   * Both roles run the image's default options; the controller adds its own after them
   * (controller.extraJavaOpts: the C1 compiler only), the webhook adds none.
   */
  @Test
  void theChartsJvmOptionsAreTheImagesDefaults() {
    var imageOptions = env(config).get("JDK_JAVA_OPTIONS");
    assertThat(imageOptions)
        .contains("-XX:MaxRAMPercentage=")
        .contains("-XX:+ExitOnOutOfMemoryError");
    for (var c : containers) {
      var chartOptions = chartOptions(c);
      if (c.getName().equals("controller")) {
        assertThat(chartOptions).as(c.getName()).isEqualTo(imageOptions + " " + CONTROLLER_EXTRA);
      } else {
        assertThat(chartOptions).as(c.getName()).isEqualTo(imageOptions);
      }
    }
  }

  /** The chart's default controller.extraJavaOpts. */
  private static final String CONTROLLER_EXTRA = "-XX:TieredStopAtLevel=1";

  private static String chartOptions(Container c) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
        .map(EnvVar::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " sets no JDK_JAVA_OPTIONS"));
  }

  /**
   * The CDS archive the image build's training run wrote is one the image's JVM accepts for the
   * entrypoint's class path in the chart's controller pod shape (its CPU and memory limits: the
   * serial collector, where the training had the build host's G1): with -Xshare:on (fail instead of
   * running without it) and the image's own JDK_JAVA_OPTIONS the JVM starts, and application
   * classes load from the archive (issue 19 item 5). The same JVM given an archive that is not
   * there fails, so the first run's success is the archive's.
   */
  @Test
  void theImagesJvmUsesItsCdsArchiveInThePodsShape() {
    assertThat(env(config).get("JDK_JAVA_OPTIONS"))
        .contains("-XX:SharedArchiveFile=" + Podman.CDS_ARCHIVE);
    var controller =
        containers.stream()
            .filter(c -> c.getName().equals("controller"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the chart has no controller container"));
    var limits = controller.getResources().getLimits();
    var shape =
        List.of(
            "--cpus=" + Podman.cpus(limits.get("cpu").toString()),
            "--memory=" + Podman.memory(limits.get("memory").toString()));
    // The controller's own options too (C1 only): the archive must be usable with them.
    assertThat(chartOptions(controller)).endsWith(" " + CONTROLLER_EXTRA);
    var r = java(shape, CONTROLLER_EXTRA, "-Xshare:on", "-Xlog:gc=info", "-Xlog:class+load=info");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(r.out()).as("the pod's JVM picks the serial collector").contains("Using Serial");
    var fromCache = r.out().lines().filter(l -> l.contains("source: shared objects file")).toList();
    assertThat(fromCache).as("classes loaded from the CDS archive").isNotEmpty();
    assertThat(fromCache).anyMatch(l -> l.contains(" dev.parapet.operator.Main "));
    assertThat(r.err()).as("JVM warnings").doesNotContain("WARNING");

    var without = java(shape, "-Xshare:on", "-XX:SharedArchiveFile=/deployments/no-such.jsa");
    assertThat(without.code()).as(without.both()).isNotZero();
  }

  /** {@code java ... -jar quarkus-run.jar --version} in the image, with its JDK_JAVA_OPTIONS. */
  private static Podman.Result java(List<String> podmanFlags, String... jvmOptions) {
    var args =
        new ArrayList<String>(
            List.of(
                "run",
                "--rm",
                "--label",
                Podman.RUN_LABEL,
                "--network=none",
                "--ulimit=nofile=20000:20000",
                "--ulimit=nproc=32768:32768"));
    args.addAll(podmanFlags);
    args.addAll(List.of("--entrypoint", "/opt/java/bin/java", build.get("IMAGE")));
    args.addAll(List.of(jvmOptions));
    args.addAll(List.of("-jar", "/deployments/quarkus-run.jar", "--version"));
    return Podman.run(Duration.ofSeconds(120), args);
  }

  @Test
  void theEntrypointRunsJavaDirectlyWithNoShell() {
    var entrypoint = new ArrayList<String>();
    config.path("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
    assertThat(entrypoint)
        .containsExactly("/opt/java/bin/java", "-jar", "/deployments/quarkus-run.jar");
    assertThat(
            config.path("Cmd").isMissingNode()
                || config.path("Cmd").isNull()
                || config.path("Cmd").isEmpty())
        .isTrue();
  }

  @Test
  void ociLabelsNameTheVersionRevisionAndSource() throws Exception {
    var labels = config.path("Labels");
    var appVersion =
        Files.readAllLines(ChartSupport.CHART.resolve("Chart.yaml")).stream()
            .filter(l -> l.startsWith("appVersion:"))
            .map(l -> l.substring("appVersion:".length()).trim().replace("\"", ""))
            .findFirst()
            .orElseThrow();
    assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(appVersion);
    var head =
        new String(
                new ProcessBuilder(
                        "git", "-C", ChartSupport.REPO_ROOT.toString(), "rev-parse", "HEAD")
                    .start()
                    .getInputStream()
                    .readAllBytes())
            .trim();
    assertThat(labels.path("org.opencontainers.image.revision").asText()).startsWith(head);
    assertThat(labels.path("org.opencontainers.image.source").asText()).startsWith("https://");
  }

  /**
   * The SBOM in the image is the one beside the archive and the one the build wrote, and it lists
   * every library the image's application loads (lib/main: groupId.artifactId-version.jar).
   */
  @Test
  void theSbomIsInTheImageBesideTheArchiveAndCoversEveryLibrary() throws Exception {
    var beside =
        Files.readAllBytes(
            ChartSupport.REPO_ROOT.resolve("target/image/parapet-" + tag() + ".sbom.cdx.json"));
    assertThat(beside)
        .isEqualTo(
            Files.readAllBytes(
                ChartSupport.REPO_ROOT.resolve("operator/target/parapet-sbom.json")));
    var root = mount();
    List<String> libs;
    try {
      assertThat(Files.readAllBytes(root.resolve("deployments/sbom/parapet-sbom.cdx.json")))
          .isEqualTo(beside);
      assertThat(Files.readString(root.resolve("deployments/sbom/debian-packages.txt")))
          .containsPattern("(?m)^libc6 \\S+ amd64$");
      try (var jars = Files.list(root.resolve("deployments/lib/main"))) {
        libs = jars.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
      }
    } finally {
      unmount();
    }
    var sbom = new ObjectMapper().readTree(beside);
    assertThat(sbom.path("bomFormat").asText()).isEqualTo("CycloneDX");
    var listed = new HashSet<String>();
    for (var component : sbom.path("components")) {
      listed.add(
          component.path("group").asText()
              + "."
              + component.path("name").asText()
              + "-"
              + component.path("version").asText());
    }
    listed.add(
        sbom.path("metadata").path("component").path("group").asText()
            + "."
            + sbom.path("metadata").path("component").path("name").asText()
            + "-"
            + sbom.path("metadata").path("component").path("version").asText());
    var missing =
        libs.stream()
            .map(n -> n.substring(0, n.length() - ".jar".length()))
            .filter(n -> listed.stream().noneMatch(n::startsWith))
            .toList();
    assertThat(missing).as("libraries in the image that the SBOM does not list").isEmpty();
  }

  /** The jlink'ed runtime has Debian's CA store (the controller calls AWS over TLS). */
  @Test
  void theRuntimeTrustsTheDebianCaStore() {
    var r =
        Podman.run(
            Duration.ofSeconds(120),
            "run",
            "--rm",
            "--label",
            Podman.RUN_LABEL,
            "--network=none",
            "--ulimit=nofile=20000:20000",
            "--ulimit=nproc=32768:32768",
            "--entrypoint",
            "/opt/java/bin/keytool",
            build.get("IMAGE"),
            "-list",
            "-cacerts",
            "-storepass",
            "changeit");
    assertThat(r.code()).as(r.both()).isZero();
    var entries = r.out().lines().filter(l -> l.contains("trustedCertEntry")).count();
    assertThat(entries).as(r.out()).isGreaterThan(100);
  }

  /** The OCI archive beside the image holds the same configuration (user, labels, entrypoint). */
  @Test
  void theOciArchiveHoldsTheSameImage() {
    var archive = Path.of(build.get("ARCHIVE"));
    assertThat(archive).exists();
    var r = runSkopeo("inspect", "--config", "oci-archive:" + archive);
    var archived = Podman.json(r).path("config");
    assertThat(archived.path("User").asText()).isEqualTo(config.path("User").asText());
    assertThat(archived.path("Entrypoint")).isEqualTo(config.path("Entrypoint"));
    assertThat(archived.path("Labels")).isEqualTo(config.path("Labels"));
  }

  private static List<Probe> probes(Container c) {
    return Stream.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())
        .filter(p -> p != null)
        .toList();
  }

  private static Map<String, String> env(JsonNode config) {
    var out = new java.util.HashMap<String, String>();
    config
        .path("Env")
        .forEach(
            e -> {
              var kv = e.asText();
              var eq = kv.indexOf('=');
              out.put(kv.substring(0, eq), kv.substring(eq + 1));
            });
    return out;
  }

  private static String tag() {
    var i = build.get("IMAGE").lastIndexOf(':');
    return build.get("IMAGE").substring(i + 1);
  }

  private static Path mount() {
    return Path.of(Podman.ok(Duration.ofSeconds(60), "image", "mount", build.get("IMAGE")).trim());
  }

  private static void unmount() {
    Podman.run(Duration.ofSeconds(60), "image", "unmount", build.get("IMAGE"));
  }

  private static String runSkopeo(String... args) {
    try {
      var command = new ArrayList<String>(List.of("skopeo"));
      command.addAll(List.of(args));
      var p = new ProcessBuilder(command).redirectErrorStream(true).start();
      var out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as("skopeo " + String.join(" ", args) + ": " + out).isZero();
      return out;
    } catch (java.io.IOException e) {
      throw new AssertionError("skopeo: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }
}
