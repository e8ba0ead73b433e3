package dev.parapet.e2e.kube;

import dev.parapet.operator.demo.LocalControlPlane;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubernetes control plane on loopback for the tests: etcd, kube-apiserver and
 * kube-controller-manager built from the Go module proxy by {@code scripts/ensure-kube.sh}.
 *
 * <p>One cluster per test JVM ({@link #shared()}), stopped when the JVM exits; each test class
 * works in namespaces of its own. Everything listens on 127.0.0.1 only, and the API server always
 * runs with {@code --enable-aggregator-routing=true}, so a Service-based webhook (the chart's)
 * makes it resolve endpoints and fail locally rather than dial a ClusterIP. Webhooks that tests
 * want called are registered by URL on 127.0.0.1.
 *
 * <p>Authentication: the admin is a static token in {@code system:masters}; ServiceAccounts get
 * tokens from the TokenRequest API ({@link #kubeconfigFor}), so RBAC is enforced exactly as in a
 * cluster. Authorization is RBAC only. Every write is recorded in an audit log ({@link #auditLog}),
 * so tests can count what a component wrote.
 */
public final class KubeCluster implements AutoCloseable {

  public static final String VERSION = LocalControlPlane.VERSION;
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static KubeCluster shared;

  private final Path dir;
  private final Path bin;
  private LocalControlPlane plane;
  private KubernetesClient admin;

  private KubeCluster(Path dir, Path bin) {
    this.dir = dir;
    this.bin = bin;
  }

  /** The control plane of this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized KubeCluster shared() {
    if (shared == null) {
      var root = Path.of(System.getProperty("parapet.repo.root", repoRoot().toString()));
      var dir = root.resolve("target/e2e/kube-" + ProcessHandle.current().pid());
      var cluster = new KubeCluster(dir, binaries(root));
      try {
        cluster.start();
      } catch (IOException | RuntimeException e) {
        cluster.close();
        throw new IllegalStateException("real API server did not start: " + e.getMessage(), e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "kube-cluster-stop"));
      shared = cluster;
    }
    return shared;
  }

  /**
   * A control plane of the caller's own, not shared, started with {@code options} (for example a
   * benchmark's flags) in {@code target/e2e/<name>-<pid>}; the caller closes it (it is also stopped
   * when the JVM exits).
   */
  public static KubeCluster startDedicated(String name, LocalControlPlane.Options options) {
    var root = Path.of(System.getProperty("parapet.repo.root", repoRoot().toString()));
    var dir = root.resolve("target/e2e/" + name + "-" + ProcessHandle.current().pid());
    var cluster = new KubeCluster(dir, binaries(root));
    try {
      cluster.start(options);
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw new IllegalStateException("real API server did not start: " + e.getMessage(), e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, name + "-stop"));
    return cluster;
  }

  /** The directory of the pinned binaries; builds them on first use (see ensure-kube.sh). */
  public static Path binaries(Path repoRoot) {
    var result = run(List.of(repoRoot.resolve("scripts/ensure-kube.sh").toString()), null);
    if (result.exit() != 0) {
      throw new IllegalStateException(
          "scripts/ensure-kube.sh failed (exit " + result.exit() + "): " + result.stderr().strip());
    }
    var lines = result.stdout().strip().split("\n");
    return Path.of(lines[lines.length - 1].strip());
  }

  private void start() throws IOException {
    start(new LocalControlPlane.Options(true, true));
  }

  private void start(LocalControlPlane.Options options) throws IOException {
    plane = LocalControlPlane.start(dir, bin, options);
    admin = client(plane.adminKubeconfig());
    waitDefaultServiceAccount();
  }

  private void waitDefaultServiceAccount() {
    var deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      checkAlive();
      if (admin.serviceAccounts().inNamespace("default").withName("default").get() != null) {
        return;
      }
      sleep(250);
    }
    throw new IllegalStateException(
        "kube-controller-manager made no default ServiceAccount within "
            + START_TIMEOUT
            + logTails());
  }

  private void checkAlive() {
    plane.checkAlive();
  }

  /** The last lines of every control-plane log, for failure messages. */
  public String logTails() {
    return plane.logTails();
  }

  /** https://127.0.0.1:port */
  public String url() {
    return plane.url();
  }

  public int port() {
    return java.net.URI.create(plane.url()).getPort();
  }

  /** The process id of a running control-plane process (etcd, kube-apiserver, ...). */
  public java.util.OptionalLong pid(String process) {
    return plane.pid(process);
  }

  /** The cluster CA (it signed the API server's certificate); PEM. */
  public Path caCert() {
    return plane.caCert();
  }

  /** The CA's key, for tests that sign serving certificates of their own (webhooks). */
  public Path caKey() {
    return plane.caKey();
  }

  /** A working directory of the cluster's, for files a test writes. */
  public Path dir() {
    return dir;
  }

  public Path binDir() {
    return bin;
  }

  /** The API server's audit log: one JSON object per write (create/update/patch/delete). */
  public Path auditLog() {
    return plane.auditLog();
  }

  /** A client with cluster-admin rights (group system:masters). */
  public KubernetesClient admin() {
    return admin;
  }

  public Path adminKubeconfig() {
    return plane.adminKubeconfig();
  }

  /**
   * A kubeconfig authenticating as ServiceAccount {@code namespace/name} with a token from the
   * TokenRequest API (one hour), so everything done with it is subject to that account's RBAC.
   */
  public Path kubeconfigFor(String namespace, String name) {
    var token = token(namespace, name);
    var file = dir.resolve("sa-" + namespace + "-" + name + ".kubeconfig");
    try {
      Files.writeString(
          file,
          plane.kubeconfig("system:serviceaccount:" + namespace + ":" + name, token, namespace));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** A one-hour token of ServiceAccount {@code namespace/name}, from the TokenRequest API. */
  public String token(String namespace, String name) {
    var request =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(name)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build());
    return request.getStatus().getToken();
  }

  /** A Fabric8 client for a kubeconfig file (patient: the shared machine can stall a request). */
  public static KubernetesClient client(Path kubeconfig) {
    try {
      var config = Config.fromKubeconfig(Files.readString(kubeconfig));
      config.setConnectionTimeout(30_000);
      config.setRequestTimeout(60_000);
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the real kubectl binary against this cluster with {@code kubeconfig}. */
  public Result kubectl(Path kubeconfig, String... args) {
    var command = new ArrayList<String>();
    command.add(bin.resolve("kubectl").toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    return run(command, null);
  }

  /** As {@link #kubectl(Path, String...)} with the admin kubeconfig. */
  public Result kubectl(String... args) {
    return kubectl(plane.adminKubeconfig(), args);
  }

  /**
   * As {@link #kubectl(Path, String...)}, with {@code stdin} piped in (e.g. {@code apply -f -}).
   */
  public Result kubectlWithInput(String stdin, String... args) {
    var command = new ArrayList<String>();
    command.add(bin.resolve("kubectl").toString());
    command.add("--kubeconfig=" + plane.adminKubeconfig());
    command.addAll(List.of(args));
    return run(command, stdin);
  }

  /** A process's outcome. */
  public record Result(int exit, String stdout, String stderr) {
    public String all() {
      return stdout + stderr;
    }
  }

  static Result run(List<String> command, String stdin) {
    try {
      var process = new ProcessBuilder(command).start();
      if (stdin != null) {
        try (var in = process.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      } else {
        process.getOutputStream().close();
      }
      var err = new StringBuilder();
      var errReader =
          new Thread(
              () -> {
                try {
                  err.append(
                      new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  err.append(e);
                }
              });
      errReader.start();
      var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(40, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      errReader.join();
      return new Result(process.exitValue(), out, err.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close();
      admin = null;
    }
    if (plane != null) {
      plane.close();
    }
  }

  /** A free TCP port on 127.0.0.1. */
  public static int freePort() {
    return LocalControlPlane.freePort();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Path repoRoot() {
    var dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("scripts/ensure-kube.sh"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "repository root (scripts/ensure-kube.sh) not found above " + Path.of("").toAbsolutePath());
  }
}
