package dev.parapet.operator.demo;

import io.quarkus.runtime.Quarkus;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code parapet train-archive} (hidden; for the image build): one start of the controller role, up
 * to ready ({@code /q/health/ready} answers 200 to an HTTP/1.1 GET, as the kubelet's probe sees
 * it), against the Fabric8 mock API server on loopback (no cluster, no AWS, no CloudAccounts), then
 * a normal exit. {@code scripts/build-image.sh} runs it inside the image with {@code
 * -XX:ArchiveClassesAtExit}, so the image's own JVM writes a CDS archive of the classes a
 * controller loads by the time it is ready (issue 19 item 5). Exit 0 once ready; 1 if not ready
 * within {@code -Dparapet.training.timeout-seconds} (300).
 *
 * <p>Only the controller's classes go into the archive: the mock API server runs in a child JVM
 * ({@link TrainingApiServer}, on this JVM's class path: the fast-jar's lib/ and app/ jars), and the
 * readiness probe is a plain socket, not the JDK's HTTP client. Both once ran in this JVM and put
 * 1,129 classes (the JDK's HTTP client, Netty's HTTP/2 and DNS codecs, the mock server) into the
 * archive that no pod loads: 5 MiB more archive and 6 MiB more RSS in the pod (docs/benchmarks.md).
 *
 * <p>What it does not train: a scan (no AWS here) and the admission path (the controller role does
 * not serve it); those classes load from the jars as before.
 */
public final class ArchiveTraining {

  private ArchiveTraining() {}

  public static void run(PrintStream out, String... args) {
    var server = startApiServer();
    var management = freePort();
    System.setProperty("kubernetes.master", "http://127.0.0.1:" + server.port());
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
    try {
      // Returns through Quarkus's exit handler (System.exit with the code above): the JVM's
      // normal exit is what writes an -XX:ArchiveClassesAtExit archive.
      Quarkus.run(args);
    } finally {
      server.process().destroy();
    }
  }

  /** The child JVM of {@link TrainingApiServer} and the port it listens on. */
  record ApiServer(Process process, int port) {}

  static ApiServer startApiServer() {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The fast-jar's directory: quarkus-run.jar is this JVM's class path (java -jar).
    var jar = Path.of(System.getProperty("java.class.path").split(File.pathSeparator)[0]);
    var root = jar.toAbsolutePath().getParent();
    var classPath =
        String.join(
            File.pathSeparator,
            root.resolve("lib/boot/*").toString(),
            root.resolve("lib/main/*").toString(),
            root.resolve("app/*").toString());
    try {
      var dir = Files.createTempDirectory("parapet-training-");
      var portFile = dir.resolve("port");
      // Its output goes where this JVM's goes (nothing left to fill a pipe); its input stays a
      // pipe from this JVM, whose end (this JVM exits) stops it.
      var process =
          new ProcessBuilder(
                  java, "-cp", classPath, TrainingApiServer.class.getName(), portFile.toString())
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      // Stopped with this JVM even if it exits before the finally in run() does.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
      var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(portFile)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          // Said before destroy(), which would turn a timeout into an exit code.
          var why = process.isAlive() ? " within 120 s" : " (exit " + process.exitValue() + ")";
          process.destroy();
          throw new IllegalStateException(
              "the training API server did not start" + why + "; class path " + classPath);
        }
        Thread.sleep(50);
      }
      var port = Integer.parseInt(Files.readString(portFile).trim());
      Files.delete(portFile);
      Files.delete(dir);
      return new ApiServer(process, port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the training API server: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the training API server", e);
    }
  }

  /** Polls GET /q/health/ready over HTTP/1.1 on a plain socket until it answers 200. */
  private static boolean awaitReady(int port, Duration timeout) {
    var deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (readyStatus(port) == 200) {
        return true;
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

  /** The status code of one probe, or -1 if nothing answered. */
  static int readyStatus(int port) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(2000);
      socket
          .getOutputStream()
          .write(
              ("GET /q/health/ready HTTP/1.1\r\nHost: 127.0.0.1:"
                      + port
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      var status =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      // "HTTP/1.1 200 OK"
      var parts = status == null ? new String[0] : status.split(" ");
      return parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
    }
  }
}
