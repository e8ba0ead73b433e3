package dev.parapet.e2e.kube;

import dev.parapet.e2e.chart.ChartController;
import dev.parapet.e2e.chart.ChartSupport;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The packaged controller as a pod of the chart's Deployment would run it, against the real API
 * server: the Deployment's env (pod name and namespace filled in as the kubelet does), and the
 * chart ServiceAccount's identity, a TokenRequest token in a kubeconfig (a pod reads the same token
 * from its mounted ServiceAccount volume), so every call is subject to the chart's RBAC.
 */
public final class RealController implements AutoCloseable {

  public static final String NS = ChartSupport.NAMESPACE;
  public static final String SERVICE_ACCOUNT = ChartController.NAME;

  /** The audit-log user name of the controller's ServiceAccount. */
  public static final String USER = "system:serviceaccount:" + NS + ":" + SERVICE_ACCOUNT;

  private final String podName;
  private final Process process;
  private final Path log;
  private final int managementPort;

  private RealController(String podName, Process process, Path log, int managementPort) {
    this.podName = podName;
    this.process = process;
    this.log = log;
    this.managementPort = managementPort;
  }

  /**
   * Starts pod {@code podName} of the chart's controller Deployment as rendered in {@code chart}.
   */
  public static RealController start(
      KubeCluster cluster, ChartSupport.Rendered chart, String podName) {
    return start(cluster, chart, podName, java.util.Map.of());
  }

  /**
   * As {@link #start(KubeCluster, ChartSupport.Rendered, String)}, with {@code extraEnv} on top of
   * the Deployment's env (what the chart's controller.extraEnv would add, e.g. shorter Leases).
   */
  public static RealController start(
      KubeCluster cluster,
      ChartSupport.Rendered chart,
      String podName,
      java.util.Map<String, String> extraEnv) {
    try {
      var workDir = Files.createDirectories(cluster.dir().resolve("controllers/" + podName));
      var env = ChartSupport.chartEnv(chart.one(Deployment.class, ChartController.NAME), podName);
      var management = KubeCluster.freePort();
      env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
      env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
      env.put("QUARKUS_HTTP_PORT", String.valueOf(KubeCluster.freePort()));
      env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
      env.put("KUBECONFIG", cluster.kubeconfigFor(NS, SERVICE_ACCOUNT).toString());
      // A pod's namespace file, which the client reads in a pod, is absent on the test host.
      env.put("KUBERNETES_NAMESPACE", NS);
      // Text logs are easier to read in a failing test; the chart's JSON is tested elsewhere.
      env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
      env.putAll(extraEnv);
      var log = workDir.resolve("controller.log");
      return new RealController(podName, ChartController.start(env, workDir, log), log, management);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String podName() {
    return podName;
  }

  public Process process() {
    return process;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** The tail of the log, for assertion messages. */
  public String logTail() {
    return ChartController.logTail(log);
  }

  /** The Prometheus text of the management port's /q/metrics (empty while not serving). */
  public String metrics() {
    try {
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + managementPort + "/q/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** SIGTERM, as the kubelet stops a pod; waits up to 30 s for the process to exit. */
  public int stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return -1;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }
}
