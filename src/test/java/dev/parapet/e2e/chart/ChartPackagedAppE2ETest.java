package dev.parapet.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rendered chart, taken as far as this machine allows: its CRDs, RBAC, ServiceAccounts and TLS
 * Secret go onto the Fabric8 mock API server, and the packaged application runs as the webhook with
 * exactly the env of the chart's webhook Deployment (ports and file paths mapped to the test host).
 * A forbidden Pod is then denied over HTTPS, trusting only the chart's caBundle and checking the
 * certificate against the Service DNS name the API server would call.
 *
 * <p>Partial: the mock server neither enforces the RBAC it stores nor calls webhooks. The
 * controller half (a CloudAccount yielding Findings) runs on the real API server: {@code
 * kube.ControllerOnRealServerTest}.
 */
@EnableKubernetesMockClient(crud = true)
class ChartPackagedAppE2ETest {

  private static final String NS = ChartSupport.NAMESPACE;
  private static final Path JAR =
      ChartSupport.REPO_ROOT.resolve("operator/target/quarkus-app/quarkus-run.jar");

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static ChartSupport.Rendered chart;
  private static Process webhook;
  private static Path workDir;
  private static Path log;
  private static int httpsPort;
  private static int managementPort;

  @BeforeAll
  static void installTheChartAndStartTheWebhook() throws Exception {
    assertThat(JAR).as("the packaged application (build with -pl src/test -am)").exists();
    requireBuiltWith("dev/parapet/webhook/AdmissionEndpoint.class", "the webhook's /validate");
    requireBuiltWith("dev/parapet/operator/RoleStarter.class", "the operator's role switch");
    ChartSupport.api().clear();
    chart = ChartSupport.render(Map.of());
    workDir = Files.createDirectories(ChartSupport.REPO_ROOT.resolve("target/e2e/chart-app"));
    log = workDir.resolve("webhook.log");

    client = ChartController.patientClient(client);
    ChartController.applyChartObjects(client, chart, Secret.class);
    client
        .load(Files.newInputStream(ChartSupport.REPO_ROOT.resolve("examples/posturepolicy.yaml")))
        .create();

    var secret = chart.one(Secret.class, "parapet-webhook-tls");
    var tlsDir = Files.createDirectories(workDir.resolve("tls"));
    Files.write(
        tlsDir.resolve("tls.crt"), Base64.getDecoder().decode(secret.getData().get("tls.crt")));
    Files.write(
        tlsDir.resolve("tls.key"), Base64.getDecoder().decode(secret.getData().get("tls.key")));
    var kubeconfig = workDir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
        users: [{name: mock, user: {token: not-a-real-token}}]
        contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: %s}}]
        current-context: mock
        """
            .formatted(client.getConfiguration().getMasterUrl(), NS));

    httpsPort = ChartSupport.freePort();
    managementPort = ChartSupport.freePort();
    var env =
        ChartController.webhookEnv(
            chart.one(Deployment.class, "parapet-webhook"),
            NS,
            "parapet-webhook-e2e",
            httpsPort,
            managementPort,
            tlsDir.resolve("tls.crt"),
            tlsDir.resolve("tls.key"),
            kubeconfig);
    // The launcher's preflight (a one-line hint for a laptop without a cluster) is off in the
    // chart: in a pod it would turn a slow API server at start into a restart loop.
    assertThat(env).containsEntry("PARAPET_PREFLIGHT_SKIP", "true");
    webhook = ChartController.start(env, workDir, log);
    ChartController.awaitReady(webhook, managementPort, log);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (webhook != null) {
      webhook.destroy();
      if (!webhook.waitFor(15, TimeUnit.SECONDS)) {
        webhook.destroyForcibly();
      }
    }
  }

  @Test
  void aForbiddenPodIsDeniedOverHttpsWithTheChartCertificate() throws Exception {
    var response = review(pod("ssh", 22));
    assertThat(response.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(response.path("response").path("uid").asText()).isEqualTo("uid-ssh");
    assertThat(response.path("response").path("allowed").asBoolean())
        .as(response.toString())
        .isFalse();
    assertThat(response.path("response").path("status").path("code").asInt()).isEqualTo(403);
    assertThat(response.path("response").path("status").path("message").asText()).contains("22");
  }

  /**
   * The chart's default {@code logging.format: json}: every line the application writes is one JSON
   * object, and a denied credential appears in it only redacted.
   */
  @Test
  void logsAreJsonLinesAndNeverHoldTheCredential() throws Exception {
    var fakeKeyId = "AKIAQSAJ2XUID5ZZZZG6"; // detector-positive, not a real key
    var review =
        """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
          "uid":"uid-key","kind":{"group":"","version":"v1","kind":"Pod"},
          "resource":{"group":"","version":"v1","resource":"pods"},
          "name":"leaky","namespace":"apps","operation":"CREATE","userInfo":{"username":"alice"},
          "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"leaky","namespace":"apps"},
            "spec":{"containers":[{"name":"main","image":"nginx",
              "env":[{"name":"AWS_ACCESS_KEY_ID","value":"%s"}]}]}},
          "oldObject":null,"dryRun":false}}
        """
            .formatted(fakeKeyId);
    var response = review(review);
    assertThat(response.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(response.toString()).doesNotContain(fakeKeyId);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(Files.readAllLines(log))
                    .anySatisfy(l -> assertThat(l).contains("uid-key")));
    var lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    assertThat(lines).isNotEmpty();
    for (var line : lines) {
      var node = json.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      assertThat(node.path("level").asText()).as(line).isNotBlank();
      assertThat(node.has("message")).as(line).isTrue();
    }
    assertThat(String.join("\n", lines)).doesNotContain(fakeKeyId);
  }

  @Test
  void anHarmlessPodIsAllowed() throws Exception {
    var response = review(pod("web", 8080));
    assertThat(response.path("response").path("allowed").asBoolean())
        .as(response.toString())
        .isTrue();
  }

  @Test
  void aClientThatDoesNotTrustTheChartCaIsRefused() {
    var otherCa =
        ChartSupport.render(Map.of())
            .one(Secret.class, "parapet-webhook-tls")
            .getData()
            .get("ca.crt");
    assertThatThrownBy(() -> post(otherCa, pod("ssh", 22)))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void plainHttpIsNotServed() {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpsPort + "/validate"))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString(pod("ssh", 22)))
            .build();
    assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  // --- the AdmissionReview exchange (AdmissionReviews) ----------------------------------------

  private static JsonNode review(String body) throws Exception {
    return AdmissionReviews.review(chart, httpsPort, body, ChartPackagedAppE2ETest::logTail);
  }

  private static String post(String caBundle, String body) throws Exception {
    return AdmissionReviews.post(caBundle, httpsPort, body, ChartPackagedAppE2ETest::logTail);
  }

  private static String pod(String name, int port) {
    return AdmissionReviews.pod(name, port);
  }

  // --- the packaged application --------------------------------------------------------------

  private static String logTail() {
    return ChartController.logTail(log);
  }

  /**
   * The packaged application must contain the webhook and the operator; a stale or partial build
   * fails here with what is missing instead of failing later on a symptom.
   */
  private static void requireBuiltWith(String classFile, String what) throws IOException {
    var jars = new ArrayList<Path>();
    try (var files = Files.walk(JAR.getParent())) {
      files
          .filter(f -> f.getFileName().toString().matches(".*parapet-(operator|webhook).*\\.jar"))
          .forEach(jars::add);
    }
    for (var jar : jars) {
      try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
        if (zip.getEntry(classFile) != null) {
          return;
        }
      }
    }
    throw new AssertionError(
        "the packaged application has no " + what + " (" + classFile + "): rebuild it");
  }
}
