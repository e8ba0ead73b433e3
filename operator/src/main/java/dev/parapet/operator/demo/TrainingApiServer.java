package dev.parapet.operator.demo;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * The API server of {@code parapet train-archive}, in a JVM of its own: the Fabric8 mock API server
 * on a free loopback port, which it prints as {@code port N} on the first line of its output; it
 * stops when its input closes (the training JVM exits or closes it). A separate process so that the
 * mock server's classes (its HTTP server side, its dispatcher) are not loaded by the training JVM
 * and so not written into the image's CDS archive, which should hold what a controller loads.
 */
public final class TrainingApiServer {

  private TrainingApiServer() {}

  public static void main(String[] args) throws IOException {
    var kube =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new ApplyAsMergePatch(), false);
    kube.init(InetAddress.getLoopbackAddress(), 0);
    System.out.println("port " + kube.getPort());
    System.out.flush();
    try {
      while (System.in.read() >= 0) {
        // until end of input
      }
    } finally {
      kube.destroy();
    }
    System.exit(0);
  }
}
