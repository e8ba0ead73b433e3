package dev.parapet.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.e2e.chart.ChartController;
import dev.parapet.e2e.chart.ChartSupport;
import dev.parapet.operator.demo.LocalControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook called by a real kube-apiserver over TLS, and what a user sees in kubectl.
 *
 * <p>The packaged application runs in the webhook role with the env of the chart's webhook
 * Deployment, as the chart's webhook ServiceAccount (a TokenRequest kubeconfig, so the chart's RBAC
 * is enforced: without list/watch on PosturePolicies and Namespaces it never gets ready), serving
 * HTTPS on 127.0.0.1 with a certificate signed by the cluster CA. The
 * ValidatingWebhookConfiguration is the chart's rendered one with two changes only: {@code
 * clientConfig} is {@code url: https://127.0.0.1:<port>/validate} plus the cluster CA as caBundle
 * (the API server is never told to dial a Service). The release is rendered with {@code
 * fullnameOverride} and one extra namespaceSelector expression (the chart's {@code
 * webhook.namespaceSelectorExpressions}) so that only namespaces labelled for this class are sent:
 * other test classes share the control plane.
 *
 * <p>Policies: the README's {@code examples/posturepolicy.yaml} (baseline, Deny) and a Warn policy
 * selecting one namespace by label.
 *
 * <p>The methods run in any order: those that point the configuration at a hung port or freeze the
 * webhook process (SIGSTOP) restore it, and {@link #webhookServing()} restarts the webhook a test
 * stopped and registers it under Ignore again before the next test.
 */
class WebhookOnRealServerTest {

  private static final String RELEASE_NS = "parapet-wh";
  private static final String FULLNAME = "parapet-wh";
  private static final String WEBHOOK = FULLNAME + "-webhook";
  private static final String WEBHOOK_NAME = "workloads.validate.parapet.dev";

  /** Only namespaces with this label are sent to this class's webhook (see the class comment). */
  private static final String SEND_LABEL = "parapet.dev/e2e-webhook";

  private static final String DENY_NS = "shop";
  private static final String WARN_NS = "wh-warn";
  private static final String WARN_POLICY = "wh-e2e-warn";

  /**
   * Detector-positive but not a real key (the webhook tests' fixture); AWS's EXAMPLE ids are
   * allowlisted.
   */
  private static final String FAKE_KEY_ID = "AKIAQSAJ2XUID5ZZZZG6";

  private static final String DENIED_PREFIX =
      "Error from server (Forbidden): admission webhook \""
          + WEBHOOK_NAME
          + "\" denied the request: ";

  private static KubeCluster cluster;
  private static Path workDir;
  private static Path log;
  private static Process webhook;
  private static int httpsPort;
  private static int managementPort;
  private static String caBundle;
  private static Path serviceAccountKubeconfig;
  private static Map<String, String> webhookEnv;

  /** What {@link #register} last registered: failure policy and port. */
  private static String registered;

  private static final List<HasMetadata> rbac = new ArrayList<>();
  private static final Map<String, ValidatingWebhookConfiguration> rendered = new HashMap<>();

  @BeforeAll
  static void startTheWebhookAsTheChartsServiceAccount() throws Exception {
    assertThat(ChartController.JAR).as("the packaged application").exists();
    cluster = KubeCluster.shared();
    workDir = Files.createDirectories(cluster.dir().resolve("webhook-e2e"));
    log = workDir.resolve("webhook.log");
    RealChart.applyCrds(cluster);

    // What `helm install` puts there before the pod starts: the namespace, the webhook's
    // ServiceAccount, ClusterRole and ClusterRoleBinding.
    ok(cluster.kubectl("create", "namespace", RELEASE_NS));
    var chart = ChartSupport.render(RELEASE_NS, values("Ignore"));
    rbac.add(chart.one(ServiceAccount.class, WEBHOOK));
    rbac.add(chart.one(ClusterRole.class, WEBHOOK));
    rbac.add(chart.one(ClusterRoleBinding.class, WEBHOOK));
    applyYaml(rbac);

    // The user's policies and namespaces, there before the webhook starts.
    ok(
        cluster.kubectl(
            "apply",
            "-f",
            ChartSupport.REPO_ROOT.resolve("examples/posturepolicy.yaml").toString()));
    ok(
        cluster.kubectlWithInput(
            """
            apiVersion: parapet.dev/v1alpha1
            kind: PosturePolicy
            metadata: {name: %s}
            spec:
              admission:
                enforcement: Warn
                namespaceSelector: {matchLabels: {parapet.dev/e2e-policy: warn}}
                forbiddenPorts: [{port: 8081, protocol: TCP}]
            """
                .formatted(WARN_POLICY),
            "apply",
            "-f",
            "-"));
    for (var ns : List.of(DENY_NS, WARN_NS)) {
      ok(
          cluster.kubectlWithInput(
              """
              apiVersion: v1
              kind: Namespace
              metadata:
                name: %s
                labels: {%s: "on", parapet.dev/e2e-policy: %s}
              """
                  .formatted(ns, SEND_LABEL, ns.equals(WARN_NS) ? "warn" : "none"),
              "apply",
              "-f",
              "-"));
    }

    // Serving certificate for 127.0.0.1 signed by the cluster CA; the CA is the caBundle.
    var pki = cluster.dir().resolve("pki");
    LocalControlPlane.serving(
        pki, "parapet-webhook-e2e", "parapet-webhook-e2e", List.of("IP:127.0.0.1"));
    caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(cluster.caCert()));

    httpsPort = KubeCluster.freePort();
    managementPort = KubeCluster.freePort();
    var env =
        ChartController.webhookEnv(
            chart.one(Deployment.class, WEBHOOK),
            RELEASE_NS,
            WEBHOOK + "-0",
            httpsPort,
            managementPort,
            pki.resolve("parapet-webhook-e2e.crt"),
            pki.resolve("parapet-webhook-e2e.key"),
            serviceAccountKubeconfig = cluster.kubeconfigFor(RELEASE_NS, WEBHOOK));
    assertThat(env).containsEntry("PARAPET_ROLE", "webhook");
    var whoami =
        cluster.kubectl(
            serviceAccountKubeconfig,
            "auth",
            "whoami",
            "-o",
            "jsonpath={.status.userInfo.username}");
    assertThat(whoami.all()).contains("system:serviceaccount:" + RELEASE_NS + ":" + WEBHOOK);
    webhookEnv = env;
    startWebhook();
  }

  /** Starts the webhook process as the chart's pod would run, registered under Ignore. */
  private static void startWebhook() throws Exception {
    webhook = ChartController.start(webhookEnv, workDir, log);
    ChartController.awaitReady(webhook, managementPort, log);
    register("Ignore", httpsPort);
    awaitFirstAnswer();
  }

  /**
   * Every test starts with the webhook running and registered under the chart's default, Ignore,
   * whatever the test before it did to either.
   */
  @BeforeEach
  void webhookServing() throws Exception {
    if (webhook == null || !webhook.isAlive()) {
      startWebhook();
    } else if (!("Ignore:" + httpsPort).equals(registered)) {
      register("Ignore", httpsPort);
    }
  }

  /**
   * Waits until a violating request sent through the API server is denied, i.e. until the webhook
   * answers within timeoutSeconds. On this shared 2-core machine the first request after the
   * webhook reports ready can take longer than the chart's 3 s (TLS, class loading, JIT on the
   * first call) and then fails open under Ignore; the tests below are about steady-state behaviour.
   * Prints how many attempts it took.
   */
  private static void awaitFirstAnswer() {
    var started = System.nanoTime();
    for (var attempt = 1; attempt <= 10; attempt++) {
      var run = runSsh(DENY_NS, "warm-up", "--dry-run=server");
      if (run.exit() != 0 && run.stderr().contains("denied the request")) {
        System.out.printf(
            "webhook answered through the API server at attempt %d after %.1f s%n",
            attempt, seconds(started));
        return;
      }
      KubeCluster.sleep(1_000);
    }
    throw new AssertionError(
        "the API server never got the webhook's answer" + ChartController.logTail(log));
  }

  @AfterAll
  static void cleanUp() throws InterruptedException {
    if (cluster == null) {
      return;
    }
    cluster.kubectl("delete", "validatingwebhookconfiguration", WEBHOOK, "--ignore-not-found");
    stopWebhook();
    cluster.kubectl("delete", "posturepolicy", "baseline", WARN_POLICY, "--ignore-not-found");
    cluster.kubectl("label", "namespace", "kube-system", SEND_LABEL + "-");
    cluster.kubectl("delete", "namespace", DENY_NS, WARN_NS, RELEASE_NS, "--wait=false");
    for (var item : rbac) {
      if (item.getMetadata().getNamespace() == null) {
        cluster.kubectl(
            "delete",
            item.getKind().toLowerCase(),
            item.getMetadata().getName(),
            "--ignore-not-found");
      }
    }
  }

  /**
   * The chart's namespaceSelector: kube-system and the release namespace are never sent, even when
   * they carry every other label the selector asks for. Proved by the webhook's request counter: a
   * violating Pod created (server-side dry run) in each adds nothing, while the same Pod in a sent
   * namespace adds exactly one.
   */
  @Test
  void kubeSystemAndTheReleaseNamespaceAreNeverSent() throws Exception {
    ok(cluster.kubectl("label", "namespace", "kube-system", SEND_LABEL + "=on", "--overwrite"));
    ok(cluster.kubectl("label", "namespace", RELEASE_NS, SEND_LABEL + "=on", "--overwrite"));
    var before = settledRequestCount();

    for (var ns : List.of("kube-system", RELEASE_NS)) {
      var run = runSsh(ns, "ssh", "--dry-run=server");
      assertThat(run.exit()).as(ns + ": " + run.all()).isZero();
      assertThat(run.stdout()).contains("pod/ssh created (server dry run)");
    }
    assertThat(requestCount()).as("requests the webhook received").isEqualTo(before);

    // The control: the same request in a namespace that is sent reaches the webhook, once.
    var control = runSsh(DENY_NS, "ssh", "--dry-run=server");
    assertThat(control.exit()).as(control.all()).isNotZero();
    assertThat(requestCount()).as("requests the webhook received").isEqualTo(before + 1);
  }

  /**
   * `kubectl run ssh --image=nginx --port=22`: refused with the rule's message, as Forbidden,
   * exactly as docs/install.md shows it.
   */
  @Test
  void aPodExposingPort22IsDeniedWithTheRulesMessage() {
    var run = runSsh(DENY_NS, "ssh");
    System.out.println(
        "$ kubectl -n " + DENY_NS + " run ssh --image=nginx --port=22\n" + run.stderr());
    assertThat(run.exit()).isNotZero();
    assertThat(run.stderr().strip())
        .isEqualTo(
            DENIED_PREFIX
                + "Pod "
                + DENY_NS
                + "/ssh: container \"ssh\" (spec.containers[0].ports[0]) exposes forbidden port 22/TCP"
                + " [rule port-forbidden, policy baseline]: remove the port or add an exception");
    assertThat(cluster.kubectl("get", "pod", "ssh", "-n", DENY_NS).exit())
        .as("the Pod was not created")
        .isNotZero();
    // docs/install.md shows this very output as captured from a real API server.
    assertThat(ChartSupport.REPO_ROOT.resolve("docs/install.md"))
        .content()
        .contains(
            "$ kubectl -n "
                + DENY_NS
                + " run ssh --image=nginx --port=22\n"
                + run.stderr().strip());
  }

  /**
   * A Deployment with a literal AWS access key id in its env: refused, and the key appears only
   * redacted in kubectl's output, the webhook's log and the API server's log.
   */
  @Test
  void aLiteralAwsKeyIsDeniedAndShownOnlyRedacted() throws IOException {
    var create =
        cluster.kubectlWithInput(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: leaky, namespace: %s}
            spec:
              selector: {matchLabels: {app: leaky}}
              template:
                metadata: {labels: {app: leaky}}
                spec:
                  containers:
                    - name: api
                      image: nginx
                      env:
                        - {name: AWS_ACCESS_KEY_ID, value: %s}
            """
                .formatted(DENY_NS, FAKE_KEY_ID),
            "create",
            "-f",
            "-");
    assertThat(create.exit()).as(create.all()).isNotZero();
    assertThat(create.stderr())
        .contains(
            "Error from server (Forbidden): error when creating \"STDIN\": admission webhook \""
                + WEBHOOK_NAME
                + "\" denied the request: ")
        .contains(
            "Deployment "
                + DENY_NS
                + "/leaky: container \"api\" (spec.template.spec.containers[0].env[0].value) env"
                + " AWS_ACCESS_KEY_ID holds a literal AWS access key id AKIA************ZZG6"
                + " [rule aws-access-key-id, policy baseline]");
    assertThat(create.all()).doesNotContain(FAKE_KEY_ID);
    assertThat(Files.readString(log)).doesNotContain(FAKE_KEY_ID).contains("AKIA************ZZG6");
    assertThat(Files.readString(cluster.dir().resolve("kube-apiserver.log")))
        .doesNotContain(FAKE_KEY_ID);
    assertThat(cluster.kubectl("get", "deployment", "leaky", "-n", DENY_NS).exit()).isNotZero();
  }

  /** A workload breaking no rule is admitted, and so are the ReplicaSet and Pod made from it. */
  @Test
  void aCleanWorkloadIsAdmitted() {
    var create =
        cluster.kubectl(
            "create", "deployment", "web", "--image=nginx", "--port=8080", "-n", DENY_NS);
    assertThat(create.exit()).as(create.all()).isZero();
    assertThat(create.stdout()).contains("deployment.apps/web created");
    assertThat(create.stderr()).doesNotContain("Warning");
    // The deployment and replicaset controllers' writes go through the webhook too.
    var waited =
        cluster.kubectl(
            "wait", "--for=create", "pod", "-l", "app=web", "-n", DENY_NS, "--timeout=120s");
    assertThat(waited.exit()).as(waited.all()).isZero();
  }

  /**
   * The webhook, running as the chart's ServiceAccount under the chart's ClusterRole, never got a
   * 403 from the API server (Fabric8 logs "... is forbidden: User ... cannot ..."), and can do no
   * more than read: no Secrets, no writes.
   */
  @Test
  void theChartsRbacIsEnoughAndNoMore() throws IOException {
    assertThat(Files.readString(log)).doesNotContain("is forbidden").doesNotContain("Forbidden!");
    for (var denied :
        List.of(
            List.of("list", "secrets", "-A"),
            List.of("create", "pods", "-n", DENY_NS),
            List.of("update", "posturepolicies.parapet.dev"),
            List.of("create", "validatingwebhookconfigurations"))) {
      var args = new ArrayList<>(List.of("auth", "can-i"));
      args.addAll(denied);
      var canI = cluster.kubectl(serviceAccountKubeconfig, args.toArray(String[]::new));
      assertThat(canI.stdout().strip()).as(String.join(" ", denied)).isEqualTo("no");
    }
    for (var allowed :
        List.of(List.of("watch", "posturepolicies.parapet.dev"), List.of("list", "namespaces"))) {
      var args = new ArrayList<>(List.of("auth", "can-i"));
      args.addAll(allowed);
      var canI = cluster.kubectl(serviceAccountKubeconfig, args.toArray(String[]::new));
      assertThat(canI.stdout().strip()).as(String.join(" ", allowed)).isEqualTo("yes");
    }
  }

  /** A Warn policy: kubectl prints the webhook's `Warning:` line and the Pod is created. */
  @Test
  void aWarnPolicyPrintsAWarningAndAdmits() {
    var run = cluster.kubectl("run", "alt-http", "--image=nginx", "--port=8081", "-n", WARN_NS);
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(run.stdout()).contains("pod/alt-http created");
    assertThat(run.stderr().strip())
        .isEqualTo(
            "Warning: Pod "
                + WARN_NS
                + "/alt-http: container \"alt-http\" (spec.containers[0].ports[0]) exposes forbidden port"
                + " 8081/TCP [rule port-forbidden, policy "
                + WARN_POLICY
                + "]: remove the port or add an exception");
    assertThat(cluster.kubectl("get", "pod", "alt-http", "-n", WARN_NS).exit()).isZero();
  }

  /**
   * A webhook that accepts connections and never answers: the API server gives up after the
   * configured timeoutSeconds (the chart's 3), then rejects under Fail and admits under Ignore.
   */
  @Test
  void aHungWebhookTimesOutAfterTheConfiguredTimeout() throws Exception {
    var timeout = rendered("Ignore").getWebhooks().get(0).getTimeoutSeconds();
    assertThat(timeout).isEqualTo(3);
    try (var hung = new SilentServer()) {
      register("Fail", hung.port());
      var started = System.nanoTime();
      var failed = runSsh(DENY_NS, "hung-fail");
      var failSeconds = seconds(started);
      assertThat(failed.exit()).as(failed.all()).isNotZero();
      assertThat(failed.stderr())
          .contains("failed calling webhook \"" + WEBHOOK_NAME + "\"")
          .contains("https://127.0.0.1:" + hung.port() + "/validate?timeout=" + timeout + "s")
          .contains("context deadline exceeded");
      assertThat(failSeconds).isGreaterThanOrEqualTo(timeout).isLessThan(timeout + 20);
      assertThat(hung.accepted()).as("the API server connected").isPositive();

      register("Ignore", hung.port());
      started = System.nanoTime();
      var ignored = runSsh(DENY_NS, "hung-ignore");
      var ignoreSeconds = seconds(started);
      assertThat(ignored.exit()).as(ignored.all()).isZero();
      assertThat(ignored.stdout()).contains("pod/hung-ignore created");
      assertThat(ignoreSeconds).isGreaterThanOrEqualTo(timeout).isLessThan(timeout + 20);
    } finally {
      register("Ignore", httpsPort);
    }
  }

  /**
   * The webhook process itself frozen (SIGSTOP: the kernel still accepts the connection, nothing
   * answers): under Fail the request is rejected after the configured timeout, naming its URL.
   */
  @Test
  void aFrozenWebhookProcessTimesOutUnderFail() throws Exception {
    assertThat(webhook.isAlive()).isTrue();
    register("Fail", httpsPort);
    signal("STOP");
    try {
      var started = System.nanoTime();
      var failed = runSsh(DENY_NS, "frozen-fail");
      var failSeconds = seconds(started);
      assertThat(failed.exit()).as(failed.all()).isNotZero();
      assertThat(failed.stderr())
          .contains("failed calling webhook \"" + WEBHOOK_NAME + "\"")
          .contains("https://127.0.0.1:" + httpsPort + "/validate?timeout=3s")
          .contains("context deadline exceeded");
      assertThat(failSeconds).isGreaterThanOrEqualTo(3).isLessThan(23);
    } finally {
      signal("CONT");
      register("Ignore", httpsPort);
    }
  }

  /**
   * The webhook process stopped: under the chart's default Ignore a violating Pod is admitted;
   * under Fail it is rejected with the API server's message.
   */
  @Test
  void aStoppedWebhookFailsOpenUnderIgnoreAndClosedUnderFail() throws Exception {
    stopWebhook();
    register("Ignore", httpsPort);
    var ignored = runSsh(DENY_NS, "down-ignore");
    assertThat(ignored.exit()).as(ignored.all()).isZero();
    assertThat(ignored.stdout()).contains("pod/down-ignore created");

    register("Fail", httpsPort);
    var failed = runSsh(DENY_NS, "down-fail");
    assertThat(failed.exit()).as(failed.all()).isNotZero();
    assertThat(failed.stderr())
        .contains(
            "Error from server (InternalError): Internal error occurred: failed calling webhook \""
                + WEBHOOK_NAME
                + "\": failed to call webhook: Post \"https://127.0.0.1:"
                + httpsPort
                + "/validate?timeout=3s\": dial tcp 127.0.0.1:"
                + httpsPort
                + ": connect: connection refused");
    assertThat(cluster.kubectl("get", "pod", "down-fail", "-n", DENY_NS).exit()).isNotZero();
  }

  // --- helpers --------------------------------------------------------------------------------

  private static Map<String, Object> values(String failurePolicy) {
    return ChartSupport.values(
        "fullnameOverride",
        FULLNAME,
        "webhook.failurePolicy",
        failurePolicy,
        "webhook.namespaceSelectorExpressions",
        List.of(Map.of("key", SEND_LABEL, "operator", "In", "values", List.of("on"))));
  }

  /** The chart's rendered ValidatingWebhookConfiguration for {@code failurePolicy}. */
  private static synchronized ValidatingWebhookConfiguration rendered(String failurePolicy) {
    return rendered.computeIfAbsent(
        failurePolicy,
        p ->
            ChartSupport.render(RELEASE_NS, values(p))
                .one(ValidatingWebhookConfiguration.class, WEBHOOK));
  }

  /**
   * Registers the chart's configuration for {@code failurePolicy} with the URL of 127.0.0.1:{@code
   * port} and the cluster CA instead of the Service, then waits until the API server uses it.
   */
  private static void register(String failurePolicy, int port) {
    var config = Serialization.clone(rendered(failurePolicy));
    assertThat(config.getWebhooks()).hasSize(1);
    var hook = config.getWebhooks().get(0);
    assertThat(hook.getName()).isEqualTo(WEBHOOK_NAME);
    assertThat(hook.getFailurePolicy()).isEqualTo(failurePolicy);
    assertThat(hook.getClientConfig().getService().getPath()).isEqualTo("/validate");
    hook.setClientConfig(
        new WebhookClientConfigBuilder()
            .withUrl("https://127.0.0.1:" + port + "/validate")
            .withCaBundle(caBundle)
            .build());
    applyYaml(List.of(config));
    registered = failurePolicy + ":" + port;
    // The API server picks webhook configurations up from its informer: give it a moment.
    KubeCluster.sleep(2_000);
  }

  private static void applyYaml(List<? extends HasMetadata> items) {
    var yaml = new StringBuilder();
    for (var item : items) {
      var copy = Serialization.clone(item);
      copy.getMetadata().setResourceVersion(null);
      yaml.append("---\n").append(Serialization.asYaml(copy));
    }
    ok(
        cluster.kubectlWithInput(
            yaml.toString(), "apply", "--server-side", "--force-conflicts", "-f", "-"));
  }

  private static KubeCluster.Result runSsh(String namespace, String name, String... extra) {
    var args = new ArrayList<>(List.of("run", name, "--image=nginx", "--port=22", "-n", namespace));
    args.addAll(List.of(extra));
    return cluster.kubectl(args.toArray(String[]::new));
  }

  private static void ok(KubeCluster.Result result) {
    assertThat(result.exit()).as(result.all()).isZero();
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** Sends SIGSTOP or SIGCONT to the webhook process (by its pid). */
  private static void signal(String name) throws IOException, InterruptedException {
    var kill = new ProcessBuilder("kill", "-" + name, String.valueOf(webhook.pid())).start();
    assertThat(kill.waitFor()).as("kill -" + name).isZero();
  }

  private static void stopWebhook() throws InterruptedException {
    if (webhook != null && webhook.isAlive()) {
      webhook.destroy();
      if (!webhook.waitFor(30, TimeUnit.SECONDS)) {
        webhook.destroyForcibly();
        webhook.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The sum of parapet_webhook_requests_total over every kind and decision. */
  private static long requestCount() throws IOException, InterruptedException {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    var body =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/q/metrics"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return body.lines()
        .filter(l -> l.startsWith("parapet_webhook_requests_total{"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The request count once it has not moved for 3 s (no request of an earlier step in flight). */
  private static long settledRequestCount() throws IOException, InterruptedException {
    var last = requestCount();
    for (var i = 0; i < 20; i++) {
      Thread.sleep(3_000);
      var now = requestCount();
      if (now == last) {
        return now;
      }
      last = now;
    }
    throw new AssertionError("the webhook's request count never settled");
  }

  /** A TCP server on 127.0.0.1 that accepts connections and never answers. */
  private static final class SilentServer implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentServer() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    sockets.add(server.accept());
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "silent-webhook");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int accepted() {
      return sockets.size();
    }

    @Override
    public void close() {
      try {
        server.close();
        for (var s : sockets) {
          s.close();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
