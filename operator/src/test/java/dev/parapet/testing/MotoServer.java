package dev.parapet.testing;

import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.operator.demo.MotoProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * ({@link #shared()}), reset between test classes, stopped at JVM exit. Started by {@link
 * MotoProcess}, the launcher {@code ./parapet demo} uses, so tests and demo run the same emulator
 * setup. If it cannot start, tests fail with one message saying why; they never skip.
 */
public final class MotoServer implements AutoCloseable {
  /** The account moto answers for by default. */
  public static final String ACCOUNT_ID = "123456789012";

  public static final String REGION = "us-east-1";

  /** Fake credentials; moto accepts any. */
  public static final String ACCESS_KEY_ID = "testing";

  public static final String SECRET_ACCESS_KEY = "testing";

  private static MotoServer shared;

  private final MotoProcess process;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private MotoServer(MotoProcess process) {
    this.process = process;
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

  /**
   * Starts a private instance (the caller closes it) with the demo's launcher, {@link MotoProcess}:
   * same flags and environment. Tries three ports, since a free port can be taken before moto binds
   * it.
   */
  public static MotoServer start() {
    var binary = locateBinary();
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return new MotoServer(MotoProcess.start(binary, Duration.ofSeconds(60), Path.of("target")));
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw last;
  }

  public URI endpoint() {
    return process.endpoint();
  }

  public int port() {
    return process.port();
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
    process.close();
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

  /** For diagnostics. */
  @Override
  public String toString() {
    return "MotoServer" + List.of(endpoint());
  }
}
