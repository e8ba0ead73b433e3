package dev.parapet.testing;

import dev.parapet.operator.aws.collect.CredentialSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The AWS emulator used as a real test peer: {@code moto_server} from the project-local virtualenv
 * (created by {@code scripts/ensure-moto.sh}) on a free loopback port. One shared instance per JVM
 * ({@link #shared()}), reset between test classes, stopped at JVM exit. If it cannot start, tests
 * fail with one message saying why; they never skip.
 */
public final class MotoServer implements AutoCloseable {
  /** The account moto answers for by default. */
  public static final String ACCOUNT_ID = "123456789012";

  public static final String REGION = "us-east-1";

  /** Fake credentials; moto accepts any. */
  public static final String ACCESS_KEY_ID = "testing";

  public static final String SECRET_ACCESS_KEY = "testing";

  private static MotoServer shared;

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private MotoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The JVM-wide instance, started on first use. */
  public static synchronized MotoServer shared() {
    if (shared == null || !shared.process.isAlive()) {
      shared = start();
      var instance = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "moto-stop"));
    }
    return shared;
  }

  /** Starts a private instance (the caller closes it). */
  public static MotoServer start() {
    var binary = locateBinary();
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      var port = freePort();
      var log = logFile(port);
      Process process;
      try {
        var builder =
            new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Like a fresh account: none of Amazon's ~1,300 public AMIs (and their snapshots) preloaded
        // into every region. Loading them made each region's first call take seconds.
        builder.environment().put("MOTO_EC2_LOAD_DEFAULT_AMIS", "false");
        process = builder.start();
      } catch (IOException e) {
        throw new IllegalStateException(
            "moto: cannot execute " + binary + " (" + e.getMessage() + ")", e);
      }
      var server = new MotoServer(process, port, log);
      try {
        server.awaitReady(Duration.ofSeconds(60));
        return server;
      } catch (IllegalStateException e) {
        server.close();
        last = e;
      }
    }
    throw last;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public String region() {
    return REGION;
  }

  public String accountId() {
    return ACCOUNT_ID;
  }

  public CredentialSource.StaticKeys credentials() {
    return new CredentialSource.StaticKeys(ACCESS_KEY_ID, SECRET_ACCESS_KEY, null);
  }

  /** Drops every resource in every region (moto's {@code POST /moto-api/reset}). */
  public void reset() {
    var request =
        HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      var response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("moto reset answered HTTP " + response.statusCode());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("moto reset failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resetting moto", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void awaitReady(Duration timeout) {
    var deadline = System.nanoTime() + timeout.toNanos();
    var probe =
        HttpRequest.newBuilder(endpoint().resolve("/moto-api/data.json"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "moto_server exited with code " + process.exitValue() + " before answering; " + tail());
      }
      try {
        http.send(probe, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for moto", e);
      }
    }
    throw new IllegalStateException(
        "moto_server did not answer on port " + port + " within " + timeout + "; " + tail());
  }

  private String tail() {
    try {
      var lines = Files.readAllLines(log);
      return "last output: "
          + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "no output captured";
    }
  }

  /**
   * {@code moto_server} next to the interpreter named by {@code parapet.moto.python}, else in
   * {@code <parapet.repo.root>/.venv/bin}, else in a {@code .venv} above the working directory.
   */
  static Path locateBinary() {
    var candidates = new java.util.ArrayList<Path>();
    var python = System.getProperty("parapet.moto.python");
    if (python != null && !python.isBlank() && !python.contains("${")) {
      candidates.add(Path.of(python).resolveSibling("moto_server"));
    }
    var root = System.getProperty("parapet.repo.root");
    if (root != null && !root.isBlank() && !root.contains("${")) {
      candidates.add(Path.of(root, ".venv", "bin", "moto_server"));
    }
    for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve(".venv/bin/moto_server"));
    }
    for (var c : candidates) {
      if (Files.isExecutable(c)) {
        return c;
      }
    }
    throw new IllegalStateException(
        "moto: moto_server not found (looked at "
            + candidates.subList(0, Math.min(3, candidates.size()))
            + "); run scripts/ensure-moto.sh, which `./mvnw verify` runs at process-test-resources"
            + " unless -DskipTests is given");
  }

  private static Path logFile(int port) {
    try {
      var dir = Path.of("target");
      if (!Files.isDirectory(dir)) {
        dir = Files.createTempDirectory("moto");
      }
      return dir.resolve("moto-" + port + ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For diagnostics. */
  @Override
  public String toString() {
    return "MotoServer" + List.of(endpoint());
  }
}
