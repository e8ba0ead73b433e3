package dev.parapet.webhook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.webhook.policy.PolicySet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Synthetic reviews run through the handler before the webhook reports ready: JSON parsing, the
 * typed object, every detector (the texts hold each detector's keyword with a made-up body), every
 * rule, the decision and the response, under the safe default policy, so the first real request
 * does not pay for class loading and a cold JIT. Nothing is counted in the metrics. The TLS
 * handshake of the first connection is not warmed (partial: see docs/webhook.md).
 */
public final class Warmup {
  /** Rounds of the synthetic reviews: enough for the JIT to compile the hot paths. */
  public static final int ROUNDS = 200;

  private Warmup() {}

  /** What one round decided: the decisions and the violations counted. */
  public record Result(List<String> decisions, int violations) {}

  /** Runs {@code rounds} rounds; returns the last round's result. */
  public static Result run(int rounds) {
    var decisions = new ArrayList<String>();
    var counted = new int[1];
    var handler =
        new AdmissionHandler(
            PolicySet::defaults,
            ns -> Map.of(),
            "parapet-system",
            1 << 20,
            (kind, decision, violations, nanos) -> {
              decisions.add(decision);
              counted[0] += violations.size();
            },
            Clock.systemUTC());
    var reviews = List.of(review("Pod", podObject()), review("ConfigMap", configMapObject()));
    for (int r = 0; r < rounds; r++) {
      decisions.clear();
      counted[0] = 0;
      for (var body : reviews) {
        handler.validate(body);
      }
    }
    return new Result(List.copyOf(decisions), counted[0]);
  }

  /** Made-up texts that reach every detector's checks (none is a real credential). */
  static List<String> texts() {
    var b32 = "WARMUPWARMUP2345";
    var alnum36 = "Wa7mUp5ynth3t1cT0k3nW4rmUp5ynth3t1cX";
    return List.of(
        "AKIA" + b32,
        "aws_secret_access_key=Wa7mUp/5ynth3t1c+T0k3nW4rmUp5ynth3t1cXy9",
        "ghp_" + alnum36,
        "glpat-" + alnum36.substring(0, 20),
        "xoxb-123456789012-" + alnum36.substring(0, 24),
        "sk_live_" + alnum36.substring(0, 28),
        "-----BEGIN PRIVATE KEY-----\n"
            + (alnum36 + "+/").repeat(3)
            + "\n-----END PRIVATE KEY-----",
        "eyJhbGciOiJIUzI1NiJ9.eyJ3YXJtdXAiOnRydWV9." + alnum36.substring(0, 20),
        "spring.datasource.password=" + alnum36.substring(0, 14),
        "postgres://warmup:" + alnum36.substring(0, 14) + "@db.invalid/warmup");
  }

  /** The synthetic Pod review, as sent over HTTPS by {@link HttpsWarmup}. */
  static byte[] podReview() {
    return review("Pod", podObject());
  }

  private static ObjectNode podObject() {
    var f = JsonNodeFactory.instance;
    var pod = f.objectNode().put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata").put("name", "warmup").put("namespace", "warmup");
    var c = pod.putObject("spec").putArray("containers").addObject();
    c.put("name", "warmup").put("image", "warmup.invalid/warmup:1");
    c.putArray("ports").addObject().put("containerPort", 22);
    var env = c.putArray("env");
    int i = 0;
    for (var t : texts()) {
      env.addObject().put("name", "WARMUP_" + i++).put("value", t);
    }
    env.addObject().put("name", "WARMUP_PASSWORD").put("value", "Wa7mUp-5ynth");
    c.putArray("args").add("--warmup-password=Wa7mUp-5ynth");
    return pod;
  }

  private static ObjectNode configMapObject() {
    var f = JsonNodeFactory.instance;
    var cm = f.objectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    cm.putObject("metadata").put("name", "warmup").put("namespace", "warmup");
    var data = cm.putObject("data");
    int i = 0;
    for (var t : texts()) {
      data.put("warmup-" + i++, t);
    }
    data.put("warmup-password", "Wa7mUp-5ynth");
    return cm;
  }

  private static byte[] review(String kind, ObjectNode object) {
    var f = JsonNodeFactory.instance;
    var root = f.objectNode().put("apiVersion", RequestParser.API_VERSION);
    root.put("kind", "AdmissionReview");
    var req = root.putObject("request").put("uid", "warmup-" + kind);
    req.putObject("kind").put("group", "").put("version", "v1").put("kind", kind);
    req.put("namespace", "warmup").put("operation", "CREATE");
    req.set("object", object);
    try {
      return RequestParser.MAPPER.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
