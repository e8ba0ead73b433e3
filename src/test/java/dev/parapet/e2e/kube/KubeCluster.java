package dev.parapet.e2e.kube;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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

  public static final String VERSION = "1.34.4";
  private static final String ADMIN_TOKEN = "parapet-test-admin-token";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static KubeCluster shared;

  private final Path dir;
  private final Path bin;
  private final List<Process> processes = new ArrayList<>();
  private int apiPort;
  private Path adminKubeconfig;
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
    Files.createDirectories(dir);
    var pki = Pki.create(dir.resolve("pki"));
    var etcdPort = freePort();
    var peerPort = freePort();
    apiPort = freePort();

    Files.writeString(
        dir.resolve("tokens.csv"), ADMIN_TOKEN + ",parapet-test-admin,1000,\"system:masters\"\n");
    Files.writeString(
        dir.resolve("audit-policy.yaml"),
        """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: ["RequestReceived"]
        rules:
          - level: Metadata
            verbs: ["create", "update", "patch", "delete", "deletecollection"]
          - level: None
        """);

    var etcdUrl = "http://127.0.0.1:" + etcdPort;
    spawn(
        "etcd",
        List.of(
            bin.resolve("etcd").toString(),
            "--name=parapet-test",
            "--data-dir=" + dir.resolve("etcd"),
            "--listen-client-urls=" + etcdUrl,
            "--advertise-client-urls=" + etcdUrl,
            "--listen-peer-urls=http://127.0.0.1:" + peerPort,
            "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
            "--initial-cluster=parapet-test=http://127.0.0.1:" + peerPort,
            "--listen-metrics-urls=",
            "--unsafe-no-fsync=true",
            "--log-level=warn"));

    spawn(
        "kube-apiserver",
        List.of(
            bin.resolve("kube-apiserver").toString(),
            "--etcd-servers=" + etcdUrl,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            "--secure-port=" + apiPort,
            "--enable-aggregator-routing=true",
            "--tls-cert-file=" + pki.resolve("apiserver.crt"),
            "--tls-private-key-file=" + pki.resolve("apiserver.key"),
            "--client-ca-file=" + pki.resolve("ca.crt"),
            "--token-auth-file=" + dir.resolve("tokens.csv"),
            "--authorization-mode=RBAC",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--service-account-key-file=" + pki.resolve("sa.pub"),
            "--service-account-signing-key-file=" + pki.resolve("sa.key"),
            "--service-cluster-ip-range=10.96.0.0/24",
            "--audit-policy-file=" + dir.resolve("audit-policy.yaml"),
            "--audit-log-path=" + auditLog(),
            "--audit-log-format=json",
            "--audit-log-mode=blocking",
            "--profiling=false",
            "--v=1"));

    adminKubeconfig = dir.resolve("admin.kubeconfig");
    Files.writeString(adminKubeconfig, kubeconfig("parapet-test-admin", ADMIN_TOKEN, null));
    admin = client(adminKubeconfig);
    waitReady();

    spawn(
        "kube-controller-manager",
        List.of(
            bin.resolve("kube-controller-manager").toString(),
            "--kubeconfig=" + adminKubeconfig,
            "--bind-address=127.0.0.1",
            "--secure-port=0",
            "--leader-elect=false",
            "--use-service-account-credentials=false",
            "--service-account-private-key-file=" + pki.resolve("sa.key"),
            "--root-ca-file=" + pki.resolve("ca.crt"),
            "--cluster-signing-cert-file=" + pki.resolve("ca.crt"),
            "--cluster-signing-key-file=" + pki.resolve("ca.key"),
            // What the tests need: garbage collection, namespace deletion, ServiceAccounts and
            // their token Secrets, workloads down to Pods (never scheduled: there is no kubelet).
            "--controllers=garbage-collector-controller,namespace-controller,"
                + "serviceaccount-controller,serviceaccount-token-controller,"
                + "deployment-controller,replicaset-controller,job-controller,"
                + "daemonset-controller,statefulset-controller,cronjob-controller",
            "--v=1"));
    waitDefaultServiceAccount();
  }

  private void waitReady() {
    var deadline = Instant.now().plus(START_TIMEOUT);
    Exception last = null;
    while (Instant.now().isBefore(deadline)) {
      checkAlive();
      try {
        var readyz = admin.raw("/readyz");
        if ("ok".equals(readyz == null ? null : readyz.strip())) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      sleep(250);
    }
    throw new IllegalStateException(
        "kube-apiserver not ready within "
            + START_TIMEOUT
            + (last == null ? "" : ": " + last.getMessage())
            + logTails());
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
    for (var p : processes) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "a control-plane process exited with " + p.exitValue() + logTails());
      }
    }
  }

  private void spawn(String name, List<String> command) throws IOException {
    var log = dir.resolve(name + ".log");
    var process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(process);
  }

  /** The last lines of every control-plane log, for failure messages. */
  public String logTails() {
    var out = new StringBuilder();
    for (var name : List.of("etcd", "kube-apiserver", "kube-controller-manager")) {
      var log = dir.resolve(name + ".log");
      if (Files.exists(log)) {
        try {
          var lines = Files.readAllLines(log);
          out.append("\n--- ").append(name).append(".log (tail) ---\n");
          out.append(
              String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        } catch (IOException e) {
          // best effort
        }
      }
    }
    return out.toString();
  }

  /** https://127.0.0.1:port */
  public String url() {
    return "https://127.0.0.1:" + apiPort;
  }

  public int port() {
    return apiPort;
  }

  /** The cluster CA (it signed the API server's certificate); PEM. */
  public Path caCert() {
    return dir.resolve("pki/ca.crt");
  }

  /** The CA's key, for tests that sign serving certificates of their own (webhooks). */
  public Path caKey() {
    return dir.resolve("pki/ca.key");
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
    return dir.resolve("audit.log");
  }

  /** A client with cluster-admin rights (group system:masters). */
  public KubernetesClient admin() {
    return admin;
  }

  public Path adminKubeconfig() {
    return adminKubeconfig;
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
          file, kubeconfig("system:serviceaccount:" + namespace + ":" + name, token, namespace));
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
    return kubectl(adminKubeconfig, args);
  }

  /**
   * As {@link #kubectl(Path, String...)}, with {@code stdin} piped in (e.g. {@code apply -f -}).
   */
  public Result kubectlWithInput(String stdin, String... args) {
    var command = new ArrayList<String>();
    command.add(bin.resolve("kubectl").toString());
    command.add("--kubeconfig=" + adminKubeconfig);
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

  private String kubeconfig(String user, String token, String namespace) throws IOException {
    var ca = Base64.getEncoder().encodeToString(Files.readAllBytes(caCert()));
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: parapet-test
            cluster:
              server: %s
              certificate-authority-data: %s
        users:
          - name: "%s"
            user:
              token: %s
        contexts:
          - name: parapet-test
            context:
              cluster: parapet-test
              user: "%s"
              namespace: %s
        current-context: parapet-test
        """
        .formatted(url(), ca, user, token, user, namespace == null ? "default" : namespace);
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close();
      admin = null;
    }
    for (var i = processes.size() - 1; i >= 0; i--) {
      var p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    processes.clear();
  }

  /** A free TCP port on 127.0.0.1. */
  public static int freePort() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /** Environment for child processes that must not see the test JVM's kubeconfig. */
  static Map<String, String> noKubeconfig() {
    return Map.of("KUBECONFIG", "/nonexistent");
  }
}
