package dev.parapet.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.operator.cli.FindingsOutput;
import dev.parapet.operator.cli.OutputFormat;
import dev.parapet.operator.cli.Reported;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The demo's script, run inside the started application: applies the examples (the CloudAccount
 * pointed at moto with fake static keys), waits for the scan, prints the findings, sends sample
 * workloads to the webhook, and shows the cluster audit's finding for a running workload.
 */
public class DemoApplication implements QuarkusApplication {

  static final String NAMESPACE = "parapet-system";
  static final String MOTO_ENDPOINT = "parapet.demo.moto-endpoint";
  static final String EXAMPLES = "parapet.demo.examples";

  /** Clearly fake credentials in the detectors' formats (not AWS's allow-listed examples). */
  static final String FAKE_KEY_ID = "AKIAQZ7PARAPETDEMO2X";

  static final String FAKE_SECRET = "Parapet+Demo/Fake9xQz3Kv7Lm2Rt8Wp5Ys1Bn4";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Inject KubernetesClient client;

  @Override
  public int run(String... args) throws Exception {
    var config = ConfigProvider.getConfig();
    var moto = config.getValue(MOTO_ENDPOINT, String.class);
    var examples = Path.of(config.getValue(EXAMPLES, String.class));
    var port = config.getValue("quarkus.http.port", Integer.class);
    var out = System.out;

    for (var ns : List.of(NAMESPACE, "shop")) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    var policy = read(examples.resolve("posturepolicy.yaml"), "PosturePolicy", PosturePolicy.class);
    client.resource(policy).create();
    var account = read(examples.resolve("cloudaccount.yaml"), "CloudAccount", CloudAccount.class);
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("demo-aws-keys")
                .withNamespace(NAMESPACE)
                .endMetadata()
                .addToStringData("aws_access_key_id", DemoSeeder.ACCESS_KEY)
                .addToStringData("aws_secret_access_key", DemoSeeder.SECRET_KEY)
                .build())
        .create();
    var spec = account.getSpec();
    account.setSpec(
        new CloudAccountSpec(
            spec.provider(),
            DemoSeeder.ACCOUNT_ID,
            List.of(DemoSeeder.REGION),
            new CloudAccountSpec.Credentials(
                null, new CloudAccountSpec.SecretRef("demo-aws-keys", null, null, null)),
            spec.scan(),
            moto));
    client.resource(account).create();
    out.printf(
        "Applied examples/posturepolicy.yaml and examples/cloudaccount.yaml (the account pointed at"
            + " moto with fake static keys instead of assumeRole).%n%n");

    var name = account.getMetadata().getName();
    var scanned =
        await(
            Duration.ofSeconds(180),
            () -> {
              var current =
                  client.resources(CloudAccount.class).inNamespace(NAMESPACE).withName(name).get();
              return current != null
                      && current.getStatus() != null
                      && current.getStatus().lastScan() != null
                  ? current
                  : null;
            });
    if (scanned == null) {
      out.println("The scan did not finish within 180 s.");
      return 1;
    }
    var status = scanned.getStatus();
    out.printf("$ kubectl get cloudaccounts -n %s%n", NAMESPACE);
    var ready =
        status.conditions().stream().filter(c -> c.type().equals("Ready")).findFirst().orElse(null);
    var now = Instant.now();
    // The CRD's printer columns, as kubectl prints them.
    out.print(
        FindingsOutput.columns(
            List.of(
                List.of("NAME", "ACCOUNT", "READY", "CRITICAL", "HIGH", "LAST-SCAN", "AGE"),
                List.of(
                    name,
                    scanned.getSpec().accountId(),
                    ready == null ? "" : ready.status(),
                    String.valueOf(status.findings().critical()),
                    String.valueOf(status.findings().high()),
                    age(status.lastScan().finishedAt(), now),
                    age(scanned.getMetadata().getCreationTimestamp(), now)))));
    out.printf(
        "  status: Ready=%s (%s); critical %d, high %d, medium %d, low %d, suppressed %d; %d API calls, %d resources%n",
        ready == null ? "?" : ready.status(),
        ready == null ? "?" : ready.reason(),
        status.findings().critical(),
        status.findings().high(),
        status.findings().medium(),
        status.findings().low(),
        status.findings().suppressed(),
        status.lastScan().apiCalls(),
        status.lastScan().resources());
    for (var e :
        status.lastScan().errors() == null
            ? List.<dev.parapet.api.v1alpha1.CloudAccountStatus.ScanError>of()
            : status.lastScan().errors()) {
      out.printf(
          "  not judged (UNKNOWN, findings left as they were): %s in %s: %s: %s%n",
          e.service(), e.region(), e.reason(), e.message());
    }
    out.println();
    var findings = client.resources(Finding.class).inNamespace(NAMESPACE).list().getItems();
    out.printf("$ kubectl get findings -n %s%n", NAMESPACE);
    out.print(table(findings));
    out.println();

    out.println(
        "Admission webhook verdicts (POST /validate, policy "
            + policy.getMetadata().getName()
            + "):");
    var http = HttpClient.newHttpClient();
    for (var sample : samples()) {
      var response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/validate"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(review(sample))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      out.println("  " + verdict(sample, JSON.readTree(response.body())));
    }
    out.println();

    var legacy =
        sample(
            "Deployment",
            "legacy-billing",
            List.of(),
            Map.of("AWS_SECRET_ACCESS_KEY", FAKE_SECRET, "AWS_ACCESS_KEY_ID", FAKE_KEY_ID));
    client
        .resource(JSON.treeToValue(legacy, io.fabric8.kubernetes.api.model.apps.Deployment.class))
        .create();
    out.println(
        "Cluster audit: created Deployment shop/legacy-billing with literal keys directly (as if it predated the webhook)...");
    var audited =
        await(
            Duration.ofSeconds(60),
            () -> {
              var list =
                  client.resources(Finding.class).inNamespace("shop").list().getItems().stream()
                      .filter(f -> f.getSpec().source() == FindingSpec.Source.KUBERNETES)
                      .toList();
              return list.isEmpty() ? null : list;
            });
    if (audited == null) {
      out.println("  no kubernetes Finding appeared within 60 s");
      return 1;
    }
    out.println("$ kubectl get findings -n shop");
    out.print(table(audited));
    out.println();
    out.printf(
        "Demo complete: %s and %s; no credential value was printed.%n",
        count(findings.size(), "cloud finding"), count(audited.size(), "workload finding"));
    return 0;
  }

  /** A timestamp as kubectl shows a date column: the time since, e.g. {@code 25s}, {@code 7m}. */
  static String age(String timestamp, Instant now) {
    if (timestamp == null || timestamp.isBlank()) {
      return "<unknown>";
    }
    var seconds = Math.max(0, Duration.between(Instant.parse(timestamp), now).toSeconds());
    if (seconds < 120) {
      return seconds + "s";
    }
    if (seconds < 3 * 3600) {
      return seconds / 60 + "m";
    }
    if (seconds < 48 * 3600) {
      return seconds / 3600 + "h";
    }
    return seconds / 86400 + "d";
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String table(List<Finding> findings) {
    var sorted =
        findings.stream()
            .sorted(
                Comparator.comparing((Finding f) -> f.getSpec().rule().severity())
                    .thenComparing(f -> f.getMetadata().getName()))
            .map(Reported::of)
            .toList();
    return new FindingsOutput("demo", false).render(sorted, OutputFormat.TABLE);
  }

  private static <T> T read(Path file, String kind, Class<T> type) throws IOException {
    try (var parser = YAML.getFactory().createParser(Files.readString(file))) {
      var docs = YAML.readValues(parser, JsonNode.class);
      while (docs.hasNext()) {
        var doc = docs.next();
        if (kind.equals(doc.path("kind").asText())) {
          return YAML.treeToValue(doc, type);
        }
      }
    }
    throw new IllegalStateException("no " + kind + " in " + file);
  }

  private static <T> T await(Duration timeout, Supplier<T> probe) throws InterruptedException {
    var deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      var value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(250);
    }
    return null;
  }

  private static List<ObjectNode> samples() {
    return List.of(
        sample("Pod", "debug-shell", List.of(22), Map.of()),
        sample(
            "Deployment",
            "billing",
            List.of(8080),
            Map.of("AWS_ACCESS_KEY_ID", FAKE_KEY_ID, "AWS_SECRET_ACCESS_KEY", FAKE_SECRET)),
        sample("Deployment", "storefront", List.of(8080), Map.of("LOG_LEVEL", "info")));
  }

  static ObjectNode sample(String kind, String name, List<Integer> ports, Map<String, String> env) {
    var container =
        JSON.createObjectNode()
            .put("name", "app")
            .put("image", "registry.example/" + name + ":1.0");
    var portList = container.putArray("ports");
    ports.forEach(p -> portList.addObject().put("containerPort", p));
    var envList = container.putArray("env");
    env.forEach((k, v) -> envList.addObject().put("name", k).put("value", v));
    var podSpec = JSON.createObjectNode();
    podSpec.putArray("containers").add(container);
    var object = JSON.createObjectNode();
    object.put("apiVersion", kind.equals("Pod") ? "v1" : "apps/v1").put("kind", kind);
    object.putObject("metadata").put("name", name).put("namespace", "shop");
    if (kind.equals("Pod")) {
      object.set("spec", podSpec);
    } else {
      var spec = object.putObject("spec");
      spec.putObject("selector").putObject("matchLabels").put("app", name);
      var template = spec.putObject("template");
      template.putObject("metadata").putObject("labels").put("app", name);
      template.set("spec", podSpec);
    }
    return object;
  }

  private static ObjectNode review(ObjectNode object) {
    var kind = object.path("kind").asText();
    var pod = kind.equals("Pod");
    var review =
        JSON.createObjectNode()
            .put("apiVersion", "admission.k8s.io/v1")
            .put("kind", "AdmissionReview");
    var request = review.putObject("request");
    request.put("uid", java.util.UUID.randomUUID().toString());
    request
        .putObject("kind")
        .put("group", pod ? "" : "apps")
        .put("version", "v1")
        .put("kind", kind);
    request
        .putObject("resource")
        .put("group", pod ? "" : "apps")
        .put("version", "v1")
        .put("resource", pod ? "pods" : "deployments");
    request
        .put("namespace", "shop")
        .put("operation", "CREATE")
        .put("name", object.at("/metadata/name").asText());
    request.set("object", object);
    return review;
  }

  private static String verdict(ObjectNode sample, JsonNode answer) {
    var response = answer.path("response");
    var what = sample.path("kind").asText() + " shop/" + sample.at("/metadata/name").asText();
    if (!response.path("allowed").asBoolean()) {
      return "DENIED   " + response.at("/status/message").asText();
    }
    var warnings = response.path("warnings");
    if (warnings.isArray() && !warnings.isEmpty()) {
      return "WARNED   " + warnings.get(0).asText();
    }
    return "ALLOWED  " + what;
  }
}
