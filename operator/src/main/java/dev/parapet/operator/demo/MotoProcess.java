package dev.parapet.operator.demo;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** moto's server (the AWS emulator) as a child process on a free loopback port. */
public final class MotoProcess implements AutoCloseable {

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
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "moto_server not found at "
              + binary
              + "; run scripts/ensure-moto.sh (./parapet demo does)");
    }
    try {
      var port = freePort();
      var log = Files.createTempFile("parapet-moto-", ".log");
      // No preloaded AMIs: moto would otherwise add ~1,300 snapshots to the account, all shown as
      // public because moto ignores RestorableByUserIds on DescribeSnapshots.
      var noAmis = Files.createTempFile("parapet-moto-amis-", ".json");
      Files.writeString(noAmis, "[]");
      var builder =
          new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("MOTO_AMIS_PATH", noAmis.toString());
      var process = builder.start();
      var moto = new MotoProcess(process, port, log);
      moto.awaitReady(timeout);
      return moto;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
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
        throw new IllegalStateException("moto_server exited before answering: " + tail());
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
    throw new IllegalStateException("moto_server did not answer within " + timeout + ": " + tail());
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
    try (var socket = new ServerSocket(0)) {
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
