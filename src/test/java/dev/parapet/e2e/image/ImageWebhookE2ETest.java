package dev.parapet.e2e.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parapet.e2e.chart.AdmissionReviews;
import dev.parapet.e2e.chart.ChartSupport;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook role from the built image, run as the chart runs it: the env of the chart's webhook
 * Deployment, its securityContext (read-only root filesystem, every capability dropped, no
 * privilege escalation, uid/gid 185), its memory limit, and the chart-issued TLS certificate
 * mounted read-only at /etc/parapet/tls as the kubelet mounts the Secret (mode 0440, group 185).
 *
 * <p>Adapted to the test host, and only in these ways: the policies come from
 * examples/posturepolicy.yaml as a mounted policy file (no API server here; {@link
 * ImageControllerOnRealServerTest} covers a cluster); the container shares the host's network
 * ({@code --network=host}), so its HTTPS and management ports (8443 and 9000 in the chart) are free
 * ports bound to 127.0.0.1 (QUARKUS_HTTP_SSL_PORT, QUARKUS_MANAGEMENT_PORT, QUARKUS_HTTP_HOST,
 * QUARKUS_MANAGEMENT_HOST). Port publishing through a podman bridge network was tried and dropped:
 * on this host netavark intermittently set up no forwarding rules for a new network, and the test
 * then timed out. That the image exposes the chart's ports is {@link ImageChartAgreementTest}'s.
 */
class ImageWebhookE2ETest {

  private static final String NAME = "parapet-webhook";

  private static ChartSupport.Rendered chart;
  private static Container spec;
  private static String container;
  private static int httpsPort;
  private static int managementPort;
  private static double readySeconds;

  @BeforeAll
  static void startTheWebhookFromTheImage() throws Exception {
    Podman.requireWorking();
    var image = Podman.image();
    chart = ChartSupport.render(Map.of());
    var deployment = chart.one(Deployment.class, NAME);
    spec = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(spec.getImage()).as("the chart's default image is the one built").isEqualTo(image);
    var security = spec.getSecurityContext();

    var work = Files.createDirectories(ChartSupport.REPO_ROOT.resolve("target/e2e/image/webhook"));
    // The Secret as the kubelet mounts it: files of mode 0440, group = fsGroup (185).
    var secret = chart.one(Secret.class, "parapet-webhook-tls");
    var tls = Files.createDirectories(work.resolve("tls"));
    for (var key : List.of("tls.crt", "tls.key")) {
      var file = tls.resolve(key);
      Files.write(file, Base64.getDecoder().decode(secret.getData().get(key)));
      Files.setAttribute(file, "unix:gid", security.getRunAsGroup().intValue());
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));
    }
    var policy = Files.createDirectories(work.resolve("policy"));
    Files.copy(
        ChartSupport.REPO_ROOT.resolve("examples/posturepolicy.yaml"),
        policy.resolve("posturepolicy.yaml"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    httpsPort = ChartSupport.freePort();
    managementPort = ChartSupport.freePort();
    var env = ChartSupport.chartEnv(deployment, "parapet-webhook-image-e2e");
    assertThat(env)
        .containsEntry("QUARKUS_HTTP_SSL_PORT", String.valueOf(containerPort("https")))
        .containsEntry("QUARKUS_MANAGEMENT_PORT", String.valueOf(containerPort("management")));
    env.put("PARAPET_WEBHOOK_POLICY_FILE", "/etc/parapet/policy/posturepolicy.yaml");
    env.put("QUARKUS_HTTP_SSL_PORT", String.valueOf(httpsPort));
    env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
    var args = new ArrayList<String>(List.of("run", "-d", "--network=host"));
    args.addAll(
        Podman.chartSecurityFlags(
            security.getRunAsUser(),
            security.getRunAsGroup(),
            Podman.memory(spec.getResources().getLimits().get("memory").toString())));
    args.add("--cpus=" + Podman.cpus(spec.getResources().getLimits().get("cpu").toString()));
    args.addAll(
        List.of("-v", tls + ":/etc/parapet/tls:ro", "-v", policy + ":/etc/parapet/policy:ro"));
    env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
    args.add(image);
    var started = System.nanoTime();
    container = Podman.ok(Duration.ofSeconds(120), args.toArray(String[]::new)).trim();
    readySeconds = Podman.awaitHttp200(container, managementPort, "/q/health/ready", started);
    var status = Podman.procStatus(Podman.pid(container));
    System.out.printf(
        "image e2e: webhook role ready %.1f s after podman run; RSS %s (limit %s)%n",
        readySeconds, status.get("VmRSS"), spec.getResources().getLimits().get("memory"));
  }

  @AfterAll
  static void removeTheContainer() {
    Podman.removeOwnContainers();
  }

  private static int containerPort(String name) {
    return spec.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the chart's webhook has no port " + name))
        .getContainerPort();
  }

  @Test
  void aPort22PodIsDeniedOverTlsWithTheMountedCertificate() throws Exception {
    var response =
        AdmissionReviews.review(
            chart, httpsPort, AdmissionReviews.pod("ssh", 22), () -> Podman.logs(container));
    assertThat(response.path("response").path("uid").asText()).isEqualTo("uid-ssh");
    assertThat(response.path("response").path("allowed").asBoolean())
        .as(response.toString())
        .isFalse();
    assertThat(response.path("response").path("status").path("code").asInt()).isEqualTo(403);
    assertThat(response.path("response").path("status").path("message").asText()).contains("22");

    var harmless =
        AdmissionReviews.review(
            chart, httpsPort, AdmissionReviews.pod("web", 8080), () -> Podman.logs(container));
    assertThat(harmless.path("response").path("allowed").asBoolean())
        .as(harmless.toString())
        .isTrue();
  }

  @Test
  void plainHttpIsNotServedOnTheHttpsPort() {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpsPort + "/validate"))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString(AdmissionReviews.pod("ssh", 22)))
            .build();
    assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  /** Each of the chart's probes, on the port it names, answers 200 from the container. */
  @Test
  void theChartsProbesAnswerFromTheContainer() throws Exception {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    for (var probe :
        List.of(spec.getStartupProbe(), spec.getLivenessProbe(), spec.getReadinessProbe())) {
      var get = probe.getHttpGet();
      assertThat(containerPort(get.getPort().getStrVal())).isEqualTo(9000);
      var r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + managementPort + get.getPath()))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(get.getPath() + ": " + r.body()).isEqualTo(200);
    }
  }

  /** What the kernel says about the container's process, not what podman was asked for. */
  @Test
  void theProcessRunsAsTheChartsUserWithNoCapabilitiesAndNoNewPrivileges() throws Exception {
    var security = spec.getSecurityContext();
    var status = Podman.procStatus(Podman.pid(container));
    var uid = security.getRunAsUser().toString();
    var gid = security.getRunAsGroup().toString();
    assertThat(status.get("Uid").split("\\s+")).containsOnly(uid);
    assertThat(status.get("Gid").split("\\s+")).containsOnly(gid);
    assertThat(status.get("CapEff")).isEqualTo("0000000000000000");
    assertThat(status.get("CapPrm")).isEqualTo("0000000000000000");
    assertThat(status.get("CapBnd")).isEqualTo("0000000000000000");
    assertThat(status.get("NoNewPrivs")).isEqualTo("1");
  }

  @Test
  void theRootFilesystemIsReadOnlyAndTmpIsWritable() {
    var root =
        Podman.run(Duration.ofSeconds(60), "exec", container, "/usr/bin/touch", "/deployments/x");
    assertThat(root.code()).isNotZero();
    assertThat(root.err()).contains("Read-only file system");
    var tmp = Podman.run(Duration.ofSeconds(60), "exec", container, "/usr/bin/touch", "/tmp/x");
    assertThat(tmp.code()).as(tmp.both()).isZero();
  }

  /**
   * A JVM started in the container with the chart's JDK_JAVA_OPTIONS sizes its heap from the
   * container's memory limit (MaxRAMPercentage=75) and exits on OutOfMemoryError.
   */
  @Test
  void theJvmSizesItsHeapFromTheChartsMemoryLimit() {
    var limit = Podman.inspectContainer(container).path("HostConfig").path("Memory").asLong();
    assertThat(limit)
        .isEqualTo(spec.getResources().getLimits().get("memory").getNumericalAmount().longValue());
    var flags =
        Podman.run(
            Duration.ofSeconds(120),
            "exec",
            container,
            "/opt/java/bin/java",
            "-XX:+PrintFlagsFinal",
            "-version");
    assertThat(flags.code()).as(flags.both()).isZero();
    var maxHeap =
        flags
            .out()
            .lines()
            .filter(l -> l.matches("\\s*size_t MaxHeapSize\\s.*"))
            .map(l -> Long.parseLong(l.trim().split("\\s+")[3]))
            .findFirst()
            .orElseThrow();
    assertThat((double) maxHeap / limit).isBetween(0.70, 0.76);
    assertThat(flags.out()).containsPattern("bool ExitOnOutOfMemoryError\\s+= true");
  }

  /**
   * The webhook role uses the image's CDS archive too (trained by the controller role: the archive
   * is one per image, and most classes the webhook loads are in it), in the chart's pod shape.
   */
  @Test
  void theWebhookUsesTheImagesCdsArchive() throws Exception {
    assertThat(Podman.mapsTheCdsArchive(container))
        .as("the webhook's JVM maps " + Podman.CDS_ARCHIVE + Podman.logs(container))
        .isTrue();
  }

  /**
   * The chart's logging.format json holds in the container: every line is one JSON object, except
   * the java launcher's own note that it read JDK_JAVA_OPTIONS (printed before any Java code runs).
   */
  @Test
  void logsAreJsonLinesButTheLaunchersNote() throws Exception {
    var lines = Podman.run(Duration.ofSeconds(30), "logs", container).both().lines().toList();
    var json = new ObjectMapper();
    var notes = 0;
    for (var line : lines.stream().filter(l -> !l.isBlank()).toList()) {
      if (line.startsWith("NOTE: Picked up JDK_JAVA_OPTIONS:")) {
        notes++;
        continue;
      }
      assertThat(json.readTree(line).path("level").asText()).as(line).isNotBlank();
    }
    assertThat(notes).isEqualTo(1);
  }
}
