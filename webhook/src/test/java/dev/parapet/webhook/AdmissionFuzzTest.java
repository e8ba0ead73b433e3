package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.webhook.policy.PolicyFile;
import dev.parapet.webhook.policy.PolicySet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Property tests over AdmissionReview bytes and over structurally valid but hostile objects: the
 * handler never throws, never answers 5xx, never hangs, always echoes the uid when it answers 200,
 * and never reaches its last-resort catch. Tries: {@code jqwik.tries.default} (200 here, more under
 * {@code -Pbench}).
 */
@Tag("fuzz")
class AdmissionFuzzTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path FIXTURES = Path.of("src/test/resources/admission");
  static final List<String> SEEDS =
      List.of(
          "pod/denied",
          "deployment/denied",
          "cronjob/denied",
          "configmap/denied",
          "service/denied",
          "special/update-preexisting");
  static final AdmissionHandler HANDLER =
      new AdmissionHandler(
          () -> PolicySet.of(PolicyFile.load(FIXTURES.resolve("policies.yaml"))),
          ns -> Map.of("kubernetes.io/metadata.name", ns),
          "parapet-system",
          1 << 20,
          (kind, decision, violations, nanos) -> {},
          Clock.systemUTC());

  static byte[] seed(String name) {
    try {
      return Files.readAllBytes(FIXTURES.resolve(name + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static AdmissionHandler.Result answer(byte[] body) {
    var r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> HANDLER.validate(body));
    assertThat(r.status()).isIn(200, 400, 413);
    try {
      var node = JSON.readTree(r.body());
      if (r.status() == 200) {
        assertThat(node.path("response").path("uid").isTextual()).isTrue();
        assertThat(node.path("response").path("allowed").isBoolean()).isTrue();
        // A request with a known uid that hit the last-resort catch is answered with 200 now;
        // reaching it still means a bug.
        assertThat(node.toString()).doesNotContain("request could not be evaluated");
      } else {
        // The handler's last-resort catch turns an unexpected exception into a 400; reaching it
        // means a bug, so it fails here.
        assertThat(node.path("message").asText())
            .isNotBlank()
            .doesNotStartWith("request could not be evaluated");
      }
    } catch (IOException e) {
      throw new AssertionError("response is not JSON", e);
    }
    return r;
  }

  @Property
  void arbitraryBytes(@ForAll byte[] body) {
    answer(body);
  }

  @Provide
  Arbitrary<byte[]> mutatedFixtures() {
    var seeds = Arbitraries.of(SEEDS).map(AdmissionFuzzTest::seed);
    return Combinators.combine(
            seeds,
            Arbitraries.integers().between(0, 40),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.bytes())
        .as(
            (bytes, flips, where, value) -> {
              var out = bytes.clone();
              for (int i = 0; i < flips; i++) {
                out[Math.floorMod(where + i * 7919, out.length)] = (byte) (value + i);
              }
              if (flips % 5 == 0) {
                return java.util.Arrays.copyOf(out, Math.floorMod(where, out.length));
              }
              return out;
            });
  }

  @Property
  void mutatedFixtureBytes(@ForAll("mutatedFixtures") byte[] body) {
    answer(body);
  }

  static final List<String> PATHS =
      List.of(
          "/metadata",
          "/metadata/name",
          "/metadata/namespace",
          "/metadata/annotations",
          "/metadata/labels",
          "/spec",
          "/spec/containers",
          "/spec/containers/0",
          "/spec/containers/0/ports",
          "/spec/containers/0/ports/0/containerPort",
          "/spec/containers/0/ports/0/protocol",
          "/spec/containers/0/env",
          "/spec/containers/0/env/0/value",
          "/spec/containers/0/args",
          "/spec/initContainers",
          "/spec/ephemeralContainers",
          "/spec/hostNetwork",
          "/spec/template",
          "/spec/template/spec/containers",
          "/spec/template/spec/containers/0/env/1",
          "/spec/jobTemplate/spec/template",
          "/data",
          "/binaryData",
          "/spec/ports",
          "/spec/type");

  @Provide
  Arbitrary<JsonNode> hostileValues() {
    var f = JsonNodeFactory.instance;
    return Arbitraries.oneOf(
        Arbitraries.just(f.nullNode()),
        Arbitraries.integers().map(i -> (JsonNode) f.numberNode(i)),
        Arbitraries.longs().map(l -> (JsonNode) f.numberNode(l)),
        Arbitraries.doubles().map(d -> (JsonNode) f.numberNode(d)),
        Arbitraries.just(f.booleanNode(true)),
        Arbitraries.strings().ofMaxLength(300).map(s -> (JsonNode) f.textNode(s)),
        Arbitraries.strings()
            .ofMaxLength(40)
            .list()
            .ofMaxSize(30)
            .map(
                l -> {
                  var a = f.arrayNode();
                  l.forEach(a::add);
                  return (JsonNode) a;
                }),
        Arbitraries.integers().between(1, 150).map(AdmissionFuzzTest::deep),
        Arbitraries.strings()
            .ofMaxLength(20)
            .list()
            .ofMaxSize(20)
            .map(
                keys -> {
                  var o = f.objectNode();
                  keys.forEach(k -> o.putNull(k));
                  return (JsonNode) o;
                }),
        Arbitraries.integers()
            .between(1, 2000)
            .map(
                n -> {
                  var a = f.arrayNode();
                  for (int i = 0; i < n; i++) {
                    a.addObject()
                        .put("name", "c" + i)
                        .putArray("ports")
                        .addObject()
                        .put("containerPort", i);
                  }
                  return (JsonNode) a;
                }),
        Arbitraries.integers()
            .between(1, 200_000)
            .map(n -> (JsonNode) f.textNode("AKIA".repeat(n / 4 + 1))));
  }

  static JsonNode deep(int depth) {
    var f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    var cur = root;
    for (int i = 0; i < depth; i++) {
      cur = cur.putObject("x");
    }
    return root;
  }

  @Property
  void hostileObjects(
      @ForAll("seeds") String seed,
      @ForAll("paths") String path,
      @ForAll("hostileValues") JsonNode value)
      throws IOException {
    var review = (ObjectNode) JSON.readTree(seed(seed));
    var object = review.path("request").path("object");
    var at = path.lastIndexOf('/');
    var parent = object.at(path.substring(0, at));
    var field = path.substring(at + 1);
    if (parent instanceof ObjectNode o) {
      o.set(field, value);
    } else if (parent.isArray() && parent.size() > 0) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(0, value);
    } else if (object instanceof ObjectNode o) {
      o.set(field, value);
    }
    answer(JSON.writeValueAsBytes(review));
  }

  @Provide
  Arbitrary<String> seeds() {
    return Arbitraries.of(SEEDS);
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of(PATHS);
  }
}
