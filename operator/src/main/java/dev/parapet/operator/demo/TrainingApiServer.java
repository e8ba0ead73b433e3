package dev.parapet.operator.demo;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;

/**
 * The API server of {@code parapet train-archive}, in a JVM of its own: the Fabric8 mock API server
 * on a free loopback port, which it writes to the file named by its one argument (written whole,
 * then moved into place); it stops when its input closes (the training JVM exits or closes it). A
 * separate process so that the mock server's classes (its HTTP server side, its dispatcher) are not
 * loaded by the training JVM and so not written into the image's CDS archive, which should hold
 * what a controller loads.
 */
public final class TrainingApiServer {

  private TrainingApiServer() {}

  public static void main(String[] args) throws IOException {
    var portFile = Path.of(args[0]);
    var kube =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new ApplyAsMergePatch(), false);
    kube.init(InetAddress.getLoopbackAddress(), 0);
    var partial = portFile.resolveSibling(portFile.getFileName() + ".partial");
    Files.writeString(partial, Integer.toString(kube.getPort()));
    Files.move(partial, portFile, StandardCopyOption.ATOMIC_MOVE);
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
