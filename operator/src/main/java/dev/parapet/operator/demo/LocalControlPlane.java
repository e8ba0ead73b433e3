package dev.parapet.operator.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes control plane on 127.0.0.1: etcd and kube-apiserver (and, when asked,
 * kube-controller-manager) from the binaries {@code scripts/ensure-kube.sh} builds from the Go
 * module proxy. Used by {@code parapet demo} when the binaries are there, and by the
 * real-API-server test tier.
 *
 * <p>Everything listens on 127.0.0.1, and the API server always runs with {@code
 * --enable-aggregator-routing=true}, so a Service-based webhook makes it resolve endpoints and fail
 * locally instead of dialling a ClusterIP. Authentication: a static admin token in {@code
 * system:masters}; ServiceAccount tokens are signed with a key of this plane's. Authorization is
 * RBAC. Certificates come from the {@code openssl} command line.
 */
public final class LocalControlPlane implements AutoCloseable {

  /** The Kubernetes version ensure-kube.sh builds by default. */
  public static final String VERSION = "1.34.4";

  private static final String ADMIN_TOKEN_USER = "parapet-local-admin";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  /**
   * What to start besides etcd and the API server, and flags added to etcd's and the API server's
   * command lines (for example a larger etcd quota and more requests in flight for a benchmark with
   * 100k objects).
   */
  public record Options(
      boolean controllerManager,
      boolean auditWrites,
      List<String> etcdFlags,
      List<String> apiServerFlags) {

    public Options {
      etcdFlags = List.copyOf(etcdFlags);
      apiServerFlags = List.copyOf(apiServerFlags);
    }

    public Options(boolean controllerManager, boolean auditWrites) {
      this(controllerManager, auditWrites, List.of(), List.of());
    }
  }

  private final Path dir;
  private final Path bin;
  private final List<Process> processes = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final String adminToken = "local-" + Long.toHexString(System.nanoTime());
  private int apiPort;

  private LocalControlPlane(Path dir, Path bin) {
    this.dir = dir;
    this.bin = bin;
  }

  /**
   * The binary directory ensure-kube.sh fills for {@link #VERSION}, if it is complete (this never
   * builds anything: that takes minutes).
   */
  public static Optional<Path> installedBinaries() {
    var cache =
        Optional.ofNullable(System.getenv("PARAPET_KUBE_DIR"))
            .map(Path::of)
            .orElseGet(
                () ->
                    Optional.ofNullable(System.getenv("XDG_CACHE_HOME"))
                        .map(Path::of)
                        .orElse(Path.of(System.getProperty("user.home"), ".cache"))
                        .resolve("parapet/kube"));
    var arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
    var bin = cache.resolve("k8s/" + VERSION + "-linux-" + arch);
    return Files.isRegularFile(bin.resolve(".complete"))
            && Files.isExecutable(bin.resolve("kube-apiserver"))
            && Files.isExecutable(bin.resolve("etcd"))
        ? Optional.of(bin)
        : Optional.empty();
  }

  /** Starts a control plane in {@code dir} with the binaries in {@code bin}; ready on return. */
  public static LocalControlPlane start(Path dir, Path bin, Options options) {
    var plane = new LocalControlPlane(dir, bin);
    try {
      plane.startProcesses(options);
      return plane;
    } catch (IOException | RuntimeException e) {
      plane.close();
      throw new IllegalStateException(
          "the local Kubernetes API server did not start: " + e.getMessage(), e);
    }
  }

  private void startProcesses(Options options) throws IOException {
    Files.createDirectories(dir);
    var pki = Files.createDirectories(dir.resolve("pki"));
    openssl(
        pki,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=parapet-local-ca",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt");
    serving(pki, "apiserver", "kube-apiserver", List.of("IP:127.0.0.1", "DNS:localhost"));
    openssl(pki, "genrsa", "-out", "sa.key", "2048");
    openssl(pki, "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub");

    var etcdPort = freePort();
    var peerPort = freePort();
    apiPort = freePort();
    Files.writeString(
        dir.resolve("tokens.csv"),
        adminToken + "," + ADMIN_TOKEN_USER + ",1000,\"system:masters\"\n");

    var etcdUrl = "http://127.0.0.1:" + etcdPort;
    var etcd = new ArrayList<String>();
    etcd.addAll(
        List.of(
            bin.resolve("etcd").toString(),
            "--name=parapet-local",
            "--data-dir=" + dir.resolve("etcd"),
            "--listen-client-urls=" + etcdUrl,
            "--advertise-client-urls=" + etcdUrl,
            "--listen-peer-urls=http://127.0.0.1:" + peerPort,
            "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
            "--initial-cluster=parapet-local=http://127.0.0.1:" + peerPort,
            "--listen-metrics-urls=",
            "--unsafe-no-fsync=true",
            "--log-level=warn"));
    etcd.addAll(options.etcdFlags());
    spawn("etcd", etcd);

    var api = new ArrayList<String>();
    api.addAll(
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
            // As kubeadm and kind clusters do: privileged and HostProcess pods pass validation,
            // so Pod Security admission (not the API's validation) is what refuses them.
            "--allow-privileged=true",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--service-account-key-file=" + pki.resolve("sa.pub"),
            "--service-account-signing-key-file=" + pki.resolve("sa.key"),
            "--service-cluster-ip-range=10.96.0.0/24",
            "--profiling=false",
            "--v=1"));
    if (options.auditWrites()) {
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
      api.addAll(
          List.of(
              "--audit-policy-file=" + dir.resolve("audit-policy.yaml"),
              "--audit-log-path=" + auditLog(),
              "--audit-log-format=json",
              "--audit-log-mode=blocking"));
    }
    api.addAll(options.apiServerFlags());
    spawn("kube-apiserver", api);
    Files.writeString(adminKubeconfig(), kubeconfig(ADMIN_TOKEN_USER, adminToken, "default"));
    waitReady();

    if (options.controllerManager()) {
      spawn(
          "kube-controller-manager",
          List.of(
              bin.resolve("kube-controller-manager").toString(),
              "--kubeconfig=" + adminKubeconfig(),
              "--bind-address=127.0.0.1",
              "--secure-port=0",
              "--leader-elect=false",
              "--use-service-account-credentials=false",
              "--service-account-private-key-file=" + pki.resolve("sa.key"),
              "--root-ca-file=" + pki.resolve("ca.crt"),
              "--cluster-signing-cert-file=" + pki.resolve("ca.crt"),
              "--cluster-signing-key-file=" + pki.resolve("ca.key"),
              // Garbage collection, namespace deletion, ServiceAccounts and their tokens, and
              // workloads down to Pods (never scheduled: there is no kubelet).
              "--controllers=garbage-collector-controller,namespace-controller,"
                  + "serviceaccount-controller,serviceaccount-token-controller,"
                  + "deployment-controller,replicaset-controller,job-controller,"
                  + "daemonset-controller,statefulset-controller,cronjob-controller",
              "--v=1"));
    }
  }

  private void waitReady() throws IOException {
    var deadline = Instant.now().plus(START_TIMEOUT);
    var http = HttpClient.newBuilder().sslContext(trustingCa()).build();
    var request =
        HttpRequest.newBuilder(URI.create(url() + "/readyz"))
            .header("Authorization", "Bearer " + adminToken)
            .timeout(Duration.ofSeconds(5))
            .build();
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      checkAlive();
      try {
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = "HTTP " + response.statusCode();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(250);
    }
    throw new IllegalStateException(
        "kube-apiserver not ready within " + START_TIMEOUT + " (" + last + ")" + logTails());
  }

  private SSLContext trustingCa() throws IOException {
    try (var in = Files.newInputStream(caCert())) {
      var ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
      var store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("ca", ca);
      var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      var ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot trust the local CA: " + e.getMessage(), e);
    }
  }

  /** Throws when a control-plane process has exited. */
  public void checkAlive() {
    for (var p : processes) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "a control-plane process exited with " + p.exitValue() + logTails());
      }
    }
  }

  /**
   * The process id of a running control-plane process ({@code etcd}, {@code kube-apiserver}, {@code
   * kube-controller-manager}), for measurements such as its resident memory.
   */
  public synchronized java.util.OptionalLong pid(String name) {
    var i = names.indexOf(name);
    return i < 0 || !processes.get(i).isAlive()
        ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(processes.get(i).pid());
  }

  private void spawn(String name, List<String> command) throws IOException {
    var log = dir.resolve(name + ".log");
    processes.add(
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    names.add(name);
  }

  /** The last lines of every control-plane log, for error messages. */
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

  public Path dir() {
    return dir;
  }

  public Path binDir() {
    return bin;
  }

  /** The CA that signed the API server's certificate (PEM); it can sign webhook certificates. */
  public Path caCert() {
    return dir.resolve("pki/ca.crt");
  }

  public Path caKey() {
    return dir.resolve("pki/ca.key");
  }

  /** The audit log: one JSON object per write, when started with {@code auditWrites}. */
  public Path auditLog() {
    return dir.resolve("audit.log");
  }

  /** A kubeconfig for the admin (group system:masters). */
  public Path adminKubeconfig() {
    return dir.resolve("admin.kubeconfig");
  }

  /** A kubeconfig for this server, authenticating with {@code token} as {@code user}. */
  public String kubeconfig(String user, String token, String namespace) throws IOException {
    var ca = Base64.getEncoder().encodeToString(Files.readAllBytes(caCert()));
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: parapet-local
            cluster:
              server: %s
              certificate-authority-data: %s
        users:
          - name: "%s"
            user:
              token: %s
        contexts:
          - name: parapet-local
            context:
              cluster: parapet-local
              user: "%s"
              namespace: %s
        current-context: parapet-local
        """
        .formatted(url(), ca, user, token, user, namespace);
  }

  /**
   * A key and certificate {@code <name>.key|crt} in {@code pki}, signed by the CA there ({@code
   * ca.key}, {@code ca.crt}), for {@code subjectAltNames} such as {@code IP:127.0.0.1}.
   */
  public static void serving(Path pki, String name, String commonName, List<String> subjectAltNames)
      throws IOException {
    Files.writeString(
        pki.resolve(name + ".ext"),
        "subjectAltName="
            + String.join(",", subjectAltNames)
            + "\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n");
    openssl(
        pki,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + commonName,
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr");
    openssl(
        pki,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        name + ".ext",
        "-out",
        name + ".crt");
  }

  private static void openssl(Path dir, String... args) throws IOException {
    var command = new ArrayList<String>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("openssl is needed for the local API server's certificates: " + e);
    }
    try {
      var out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public synchronized void close() {
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
    names.clear();
  }

  /** A free TCP port on 127.0.0.1. */
  public static int freePort() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
