package dev.parapet.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's hostile requests through the whole handler (parse, evaluate, respond) with the real
 * 2000 ms budget: wall time per request, warm, and the decision. A benchmark (-Pbench), not a test:
 * it prints, and asserts nothing about time.
 */
@Tag("bench")
class HostileInputBenchmark {
  static final ObjectMapper JSON = new ObjectMapper();

  static byte[] pod(String namespace, String value) throws Exception {
    var review =
        (ObjectNode)
            JSON.readTree(
                Files.readAllBytes(AdmissionHandlerTest.FIXTURES.resolve("pod/allowed.json")));
    var request = (ObjectNode) review.get("request");
    request.put("namespace", namespace);
    var object = (ObjectNode) request.get("object");
    ((ObjectNode) object.get("metadata")).put("namespace", namespace);
    var container = (ObjectNode) object.get("spec").get("containers").get(0);
    container.putArray("env").addObject().put("name", "CONFIG").put("value", value);
    return JSON.writeValueAsBytes(review);
  }

  @Test
  void hostileRequests() throws Exception {
    var handler =
        new AdmissionHandler(
            AdmissionHandlerTest::fixturePolicies,
            ns -> Map.of("kubernetes.io/metadata.name", ns),
            "parapet-system",
            3 << 20,
            (kind, decision, counted, nanos) -> {},
            Clock.systemUTC(),
            2000,
            System::nanoTime);
    IntFunction<String> pem = n -> "-----BEGIN PRIVATE KEY-----".repeat(n / 27);
    IntFunction<String> keyIds = BoundedOutputTest::keyIds;
    IntFunction<String> config = n -> "password=Tr0ub4dor-x9\n".repeat(n / 22);
    IntFunction<String> urls = n -> "postgres://app:Wq3Er6Ty9Ui2@db/app ".repeat(n / 36);
    for (var c :
        Map.of(
                "repeated PEM headers",
                pem,
                "packed key ids",
                keyIds,
                "password lines",
                config,
                "connection strings",
                urls)
            .entrySet()) {
      for (int kib : new int[] {64, 1024, 2500}) {
        var body = pod("prod", c.getValue().apply(kib * 1024));
        for (int warm = 0; warm < 3; warm++) {
          handler.validate(body);
        }
        long best = Long.MAX_VALUE;
        String answer = "";
        for (int r = 0; r < 3; r++) {
          long t0 = System.nanoTime();
          var res = handler.validate(body);
          best = Math.min(best, System.nanoTime() - t0);
          var msg = JSON.readTree(res.body()).path("response").path("status").path("message");
          answer = msg.asText().length() > 80 ? msg.asText().substring(0, 80) : msg.asText();
        }
        System.out.printf(
            "bench %-22s %5d KiB: %8.1f ms  %s%n", c.getKey(), kib, best / 1e6, answer);
      }
    }
  }
}
