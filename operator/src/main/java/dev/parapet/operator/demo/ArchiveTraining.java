package dev.parapet.operator.demo;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.runtime.Quarkus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;

/**
 * {@code parapet train-archive} (hidden; for the image build): one start of the controller role, up
 * to ready ({@code /q/health/ready} answers 200, as the kubelet's probe sees it), against the
 * Fabric8 mock API server in this process on loopback (no cluster, no AWS, no CloudAccounts), then
 * a normal exit. {@code scripts/build-image.sh} runs it inside the image with {@code
 * -XX:ArchiveClassesAtExit}, so the image's own JVM writes an AppCDS archive of the classes a
 * controller loads by the time it is ready (issue 19 item 5). Exit 0 once ready; 1 if not ready
 * within {@code -Dparapet.training.timeout-seconds} (300).
 *
 * <p>What it does not train: a scan (no AWS here) and the admission path (the controller role does
 * not serve it); those classes load from the jars as before.
 */
public final class ArchiveTraining {

  private ArchiveTraining() {}

  public static void run(PrintStream out, String... args) {
    var kube =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new ApplyAsMergePatch(), false);
    kube.init(InetAddress.getLoopbackAddress(), 0);
    var management = freePort();
    System.setProperty("kubernetes.master", "http://127.0.0.1:" + kube.getPort());
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    System.setProperty("kubernetes.namespace", "parapet-system");
    System.setProperty("quarkus.http.port", String.valueOf(freePort()));
    System.setProperty("quarkus.management.port", String.valueOf(management));
    System.setProperty("parapet.role", "controller");
    var timeout = Duration.ofSeconds(Long.getLong("parapet.training.timeout-seconds", 300));
    var waiter =
        new Thread(
            () -> {
              var ready = awaitReady(management, timeout);
              out.println(
                  ready
                      ? "parapet train-archive: the controller is ready; exiting"
                      : "parapet train-archive: the controller was not ready within " + timeout);
              Quarkus.asyncExit(ready ? 0 : 1);
            },
            "parapet-training");
    waiter.setDaemon(true);
    waiter.start();
    // Returns through Quarkus's exit handler (System.exit with the code above): the JVM's normal
    // exit is what writes an -XX:ArchiveClassesAtExit archive.
    Quarkus.run(args);
  }

  private static boolean awaitReady(int port, Duration timeout) {
    var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    var deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
    }
  }
}
