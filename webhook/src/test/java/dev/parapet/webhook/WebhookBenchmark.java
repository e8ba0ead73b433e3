package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.policy.NamespaceSelector;
import dev.parapet.webhook.policy.PolicySet;
import dev.parapet.webhook.policy.PolicyStore;
import dev.parapet.webhook.policy.PortRule;
import dev.parapet.webhook.policy.ScanLocation;
import dev.parapet.webhook.policy.UpdateMode;
import dev.parapet.webhook.secrets.SecretDetectors;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The webhook benchmark (W1, rule scaling, throughput, D1), outside the default run: {@code ./mvnw
 * -B -pl webhook -am verify -Pbench}. A load generator on loopback replays a corpus of allowed
 * workloads, denials and a worst-case 256 KiB pod against /validate and against the no-op
 * /validate-noop of the same application, alternating rounds so both see the same machine state.
 * Prints the ratios and writes them to {@code target/bench-results/webhook.txt}.
 */
@QuarkusTest
@Tag("bench")
@TestProfile(WebhookBenchmark.Quiet.class)
class WebhookBenchmark {
  /** Per-decision INFO log lines would flood the output; the decision path is what is measured. */
  public static class Quiet implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.log.category.\"dev.parapet.webhook\".level", "WARN");
    }
  }

  static final Path FIXTURES = Path.of("src/test/resources/admission");
  static final String[] KINDS = {
    "pod",
    "deployment",
    "statefulset",
    "daemonset",
    "replicaset",
    "replicationcontroller",
    "job",
    "cronjob",
    "service",
    "configmap"
  };
  static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
  static final int PER_ROUND = Integer.getInteger("bench.requests", 1500);
  static final int THREADS = Integer.getInteger("bench.threads", 4);
  static final long THROUGHPUT_MILLIS = Long.getLong("bench.throughput.millis", 2500);

  @Inject PolicyStore store;

  @TestHTTPResource("/")
  URL base;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void benchmark() throws Exception {
    var corpus = corpus();
    var out = new StringBuilder();
    var sizes = corpus.stream().mapToInt(b -> b.length).summaryStatistics();
    out.append(
        String.format(
            "corpus: %d requests (10 kinds allowed + 10 denied + worst case), %d..%d bytes%n",
            corpus.size(), sizes.getMin(), sizes.getMax()));

    store.replace(PolicySet.of(List.of(oneRule())));
    var w1One = latencyRatio(corpus, out, "1 rule");
    store.replace(PolicySet.of(List.of(fiftyRules())));
    var w1Fifty = latencyRatio(corpus, out, "50 rules");
    out.append(
        String.format(
            "W1 (50 rules) = p99(/validate) / p99(/validate-noop) = %.3f  (goal <= 1.15)%n",
            w1Fifty));
    out.append(
        String.format(
            "W1(50 rules) / W1(1 rule) = %.3f / %.3f = %.3f  (goal <= 1.10)%n",
            w1Fifty, w1One, w1Fifty / w1One));

    // Alternating windows of each endpoint, so both see the same share of a shared machine.
    double rps = 0;
    double rpsNoop = 0;
    for (int w = 0; w < 4; w++) {
      rpsNoop += throughput(corpus, "/validate-noop") / 4;
      rps += throughput(corpus, "/validate") / 4;
    }
    out.append(
        String.format(
            "throughput (%d client threads, 50 rules): /validate %.0f req/s, /validate-noop %.0f req/s, ratio %.3f  (goal >= 0.8)%n",
            THREADS, rps, rpsNoop, rps / rpsNoop));

    d1(corpus, out);
    System.out.println("\n==== Webhook benchmark ====\n" + out);
    var dir = Path.of("target/bench-results");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("webhook.txt"), out.toString());
  }

  /** One rule instance: one forbidden port, no host flags, no detectors. */
  static AdmissionPolicy oneRule() {
    return new AdmissionPolicy(
        "bench-1",
        Enforcement.DENY,
        Map.of(),
        Set.of(),
        NamespaceSelector.ALL,
        Set.of(),
        List.of(new PortRule(22, 22, "TCP")),
        false,
        false,
        false,
        false,
        false,
        Set.of(),
        Set.of(),
        UpdateMode.Allow,
        List.of());
  }

  /**
   * Fifty rule instances: 37 forbidden port entries (the 6 default ports + 31 more), the 4 host /
   * NodePort checks and the 9 credential detectors (8 formats + secret-ish env names) in every
   * location; all 11 rule classes active.
   */
  static AdmissionPolicy fiftyRules() {
    var ports = new ArrayList<>(AdmissionPolicy.DEFAULT_FORBIDDEN_PORTS);
    for (int i = 0; i < 31; i++) {
      ports.add(new PortRule(20000 + i * 100, 20000 + i * 100 + 50, i % 2 == 0 ? "TCP" : null));
    }
    assertThat(ports.size() + 4 + AdmissionPolicy.allDetectorIds().size()).isEqualTo(50);
    return new AdmissionPolicy(
        "bench-50",
        Enforcement.DENY,
        Map.of(),
        Set.of(),
        NamespaceSelector.ALL,
        Set.of(),
        ports,
        true,
        true,
        true,
        true,
        false,
        AdmissionPolicy.allDetectorIds(),
        EnumSet.allOf(ScanLocation.class),
        UpdateMode.Allow,
        List.of());
  }

  List<byte[]> corpus() throws Exception {
    var list = new ArrayList<byte[]>();
    for (var k : KINDS) {
      list.add(Files.readAllBytes(FIXTURES.resolve(k + "/allowed.json")));
      list.add(Files.readAllBytes(FIXTURES.resolve(k + "/denied.json")));
    }
    list.add(worstCase());
    return list;
  }

  /**
   * A 256 KiB pod: 28 containers x 16 env vars of ~500 chars of random text sprinkled with the
   * detectors' keywords (AKIA, ghp_, eyJ, xoxb-, sk_live_, -----BEGIN, "secret") that never
   * complete a credential, so every detector runs its full pattern check, plus large annotations.
   */
  static byte[] worstCase() throws Exception {
    var json = new ObjectMapper();
    var review =
        (ObjectNode) json.readTree(Files.readAllBytes(FIXTURES.resolve("pod/allowed.json")));
    var pod = (ObjectNode) review.path("request").path("object");
    var rnd = new Random(256);
    var alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 =:/+-_.";
    var keywords =
        new String[] {
          "AKIA", "ghp_", "eyJ", "xoxb-", "sk_live_", "-----BEGIN ", "secret", "glpat-"
        };
    var containers = pod.with("spec").putArray("containers");
    for (int c = 0; c < 28; c++) {
      var container =
          containers.addObject().put("name", "c" + c).put("image", "registry.example/app:1");
      container.putArray("ports").addObject().put("containerPort", 8000 + c);
      var env = container.putArray("env");
      for (int e = 0; e < 16; e++) {
        var sb = new StringBuilder();
        while (sb.length() < 480) {
          sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
          if (rnd.nextInt(40) == 0) {
            sb.append(keywords[rnd.nextInt(keywords.length)]).append("zz");
          }
        }
        env.addObject().put("name", "SETTING_" + e).put("value", sb.toString());
      }
    }
    var annotations = pod.with("metadata").putObject("annotations");
    int i = 0;
    while (json.writeValueAsBytes(review).length < 256 * 1024) {
      annotations.put("bench.example/a" + i++, "x".repeat(512) + " AKIA" + i);
    }
    var bytes = json.writeValueAsBytes(review);
    assertThat(bytes.length).isBetween(256 * 1024, 260 * 1024);
    return bytes;
  }

  HttpRequest request(String path, byte[] body) {
    return HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  static long percentile(long[] all, double p) {
    var sorted = all.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  }

  /**
   * p99 of /validate over p99 of /validate-noop, with the two interleaved request by request (same
   * body, alternating which goes first) so both see the same machine state on a shared host.
   */
  double latencyRatio(List<byte[]> corpus, StringBuilder out, String label) throws Exception {
    int n = ROUNDS * PER_ROUND;
    var v = new long[n];
    var noop = new long[n];
    for (int i = -PER_ROUND; i < n; i++) {
      var body = corpus.get(Math.floorMod(i, corpus.size()));
      boolean validateFirst = (i & 1) == 0;
      long a = timed(validateFirst ? "/validate" : "/validate-noop", body);
      long b = timed(validateFirst ? "/validate-noop" : "/validate", body);
      if (i >= 0) {
        v[i] = validateFirst ? a : b;
        noop[i] = validateFirst ? b : a;
      }
    }
    double ratio = (double) percentile(v, 0.99) / percentile(noop, 0.99);
    out.append(
        String.format(
            "%-8s /validate p50 %.3f ms p99 %.3f ms | /validate-noop p50 %.3f ms p99 %.3f ms | p99 ratio %.3f (%d samples each)%n",
            label,
            percentile(v, 0.5) / 1e6,
            percentile(v, 0.99) / 1e6,
            percentile(noop, 0.5) / 1e6,
            percentile(noop, 0.99) / 1e6,
            ratio,
            n));
    return ratio;
  }

  long timed(String path, byte[] body) throws Exception {
    long t0 = System.nanoTime();
    var r = http.send(request(path, body), HttpResponse.BodyHandlers.ofByteArray());
    long t = System.nanoTime() - t0;
    if (r.statusCode() != 200) {
      throw new AssertionError(path + " answered " + r.statusCode());
    }
    return t;
  }

  double throughput(List<byte[]> corpus, String path) throws Exception {
    var done = new LongAdder();
    var stop = new AtomicBoolean();
    var pool = Executors.newFixedThreadPool(THREADS);
    for (int t = 0; t < THREADS; t++) {
      int offset = t;
      pool.submit(
          () -> {
            int i = offset;
            while (!stop.get()) {
              try {
                http.send(
                    request(path, corpus.get(i++ % corpus.size())),
                    HttpResponse.BodyHandlers.discarding());
                done.increment();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
            return null;
          });
    }
    Thread.sleep(1000);
    long start = done.sum();
    long t0 = System.nanoTime();
    Thread.sleep(THROUGHPUT_MILLIS);
    long count = done.sum() - start;
    double secs = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.SECONDS);
    return count / secs;
  }

  /** D1: the full detector scan vs its keyword prefilter alone, over the corpus texts. */
  static void d1(List<byte[]> corpus, StringBuilder out) throws Exception {
    var json = new ObjectMapper();
    var texts = new ArrayList<SecretDetectors.Text>();
    for (var body : corpus) {
      collect(json.readTree(body).path("request").path("object"), null, texts);
    }
    long bytes = texts.stream().mapToLong(t -> t.text().length()).sum();
    var enabled = SecretDetectors.all().keySet();
    double full = 0;
    double pre = 0;
    int sink = 0;
    for (int round = 0; round < 12; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        sink += SecretDetectors.scanUnit(texts, enabled).size();
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        sink += SecretDetectors.prefilterOnly(texts, enabled);
      }
      long t2 = System.nanoTime();
      if (round >= 4) {
        full += 20.0 * bytes / ((t1 - t0) / 1e9) / 1e6;
        pre += 20.0 * bytes / ((t2 - t1) / 1e9) / 1e6;
      }
    }
    full /= 8;
    pre /= 8;
    out.append(
        String.format(
            "D1: detectors %.1f MB/s, keyword prefilter alone %.1f MB/s, ratio %.3f (%d texts, %d KiB; sink %d)%n",
            full, pre, full / pre, texts.size(), bytes / 1024, sink % 10));
  }

  static void collect(
      com.fasterxml.jackson.databind.JsonNode node, String name, List<SecretDetectors.Text> out) {
    if (node.isTextual()) {
      out.add(new SecretDetectors.Text(name, node.textValue()));
    } else if (node.isObject()) {
      var it = node.fields();
      while (it.hasNext()) {
        var e = it.next();
        collect(e.getValue(), e.getKey(), out);
      }
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, name, out));
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
