package dev.parapet.operator.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * moto's server (the AWS emulator) as a child process on a free loopback port: the one launcher,
 * used by {@code ./parapet demo} and (through {@code dev.parapet.testing.MotoServer}) by the tests,
 * so both see the same emulator.
 */
public final class MotoProcess implements AutoCloseable {

  /**
   * The environment every moto this project starts gets. Like a fresh account: none of Amazon's
   * ~1,300 public AMIs preloaded into every region. Loading them made each region's first call take
   * seconds, and their snapshots showed as public (moto ignores RestorableByUserIds on
   * DescribeSnapshots).
   */
  public static final Map<String, String> ENVIRONMENT =
      Map.of("MOTO_EC2_LOAD_DEFAULT_AMIS", "false");

  private final Process process;
  private final int port;
  private final Path log;

  private MotoProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts {@code binary} and waits until it answers; throws with its last output otherwise. */
  public static MotoProcess start(Path binary, Duration timeout) {
    return start(binary, timeout, null);
  }

  /**
   * As {@link #start(Path, Duration)}, writing moto's output to {@code moto-<port>.log} in {@code
   * logDir} (a temporary file when null).
   */
  public static MotoProcess start(Path binary, Duration timeout, Path logDir) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "moto_server not found at "
              + binary
              + "; run scripts/ensure-moto.sh (./parapet demo does)");
    }
    Process process;
    int port;
    Path log;
    try {
      port = freePort();
      log =
          logDir == null
              ? Files.createTempFile("parapet-moto-", ".log")
              : Files.createDirectories(logDir).resolve("moto-" + port + ".log");
      var builder =
          new ProcessBuilder(command(binary, port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().putAll(ENVIRONMENT);
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
    }
    var moto = new MotoProcess(process, port, log);
    moto.awaitReady(timeout);
    return moto;
  }

  /** The command line: moto_server on the loopback address and {@code port}. */
  static List<String> command(Path binary, int port) {
    return List.of(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port));
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  private void awaitReady(Duration timeout) {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    var probe =
        HttpRequest.newBuilder(endpoint().resolve("/moto-api/data.json"))
            .timeout(Duration.ofSeconds(2))
            .build();
    var deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        close();
        throw new IllegalStateException(
            "moto_server exited with code " + process.exitValue() + " before answering: " + tail());
      }
      try {
        http.send(probe, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while waiting for moto_server", e);
      }
    }
    close();
    throw new IllegalStateException(
        "moto_server did not answer on port " + port + " within " + timeout + ": " + tail());
  }

  private String tail() {
    try {
      var lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no output)";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
