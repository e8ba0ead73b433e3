package dev.parapet.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parapet.webhook.policy.PolicySet;
import dev.parapet.webhook.secrets.SecretDetectors;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * In-process breakdown of the worst-case request (no HTTP): parse alone ({@code noop}), the full
 * {@code validate}, and the rule evaluation alone on an already parsed object, 50-rule policy.
 * Times are the test thread's CPU time. Outside the default run ({@code -Pbench
 * -Dtest=DecisionProfile}); a JFR recording can be added with {@code
 * -DargLine=-XX:StartFlightRecording=filename=target/profile.jfr}.
 */
@Tag("bench")
class DecisionProfile {
  /** Thread CPU time, not wall time: the figures do not move with the load of a shared machine. */
  static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  @Test
  void profile() throws Exception {
    var body = WebhookBenchmark.worstCase();
    var policy = WebhookBenchmark.fiftyRules();
    var handler =
        new AdmissionHandler(
            () -> PolicySet.of(List.of(policy)),
            ns -> Map.of(),
            "parapet-system",
            1 << 20,
            (kind, decision, violations, nanos) -> {},
            Clock.systemUTC());
    var object = new RequestParser(1 << 20).parse(body).object();
    var texts = new ArrayList<SecretDetectors.Text>();
    WebhookBenchmark.collect(
        new ObjectMapper().readTree(body).path("request").path("object"), null, texts);
    long chars = texts.stream().mapToLong(t -> t.text().length()).sum();
    var all = SecretDetectors.all().keySet();
    var now = Instant.now();
    int sink = 0;
    for (int round = 0; round < 8; round++) {
      long t0 = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < 200; i++) {
        sink += handler.noop(body).body().length;
      }
      long t1 = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < 200; i++) {
        sink += handler.validate(body).body().length;
      }
      long t2 = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < 200; i++) {
        sink += WorkloadEvaluator.evaluate(WorkloadReview.of(object), policy, now).size();
      }
      long t3 = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < 200; i++) {
        sink += SecretDetectors.prefilterOnly(texts, all);
      }
      long t4 = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < 200; i++) {
        for (var t : texts) {
          sink += SecretDetectors.scanUnit(List.of(t), all).size();
        }
      }
      long t5 = CPU.getCurrentThreadCpuTime();
      System.out.printf(
          "  keyword pass %.3f ms (%.0f MB/s), scan text by text %.3f ms (%.0f MB/s)%n",
          (t4 - t3) / 200e6,
          chars * 200 / ((t4 - t3) / 1e9) / 1e6,
          (t5 - t4) / 200e6,
          chars * 200 / ((t5 - t4) / 1e9) / 1e6);
      System.out.printf(
          "round %d: noop %.3f ms, validate %.3f ms (ratio %.3f), rules alone %.3f ms (sink %d)%n",
          round,
          (t1 - t0) / 200e6,
          (t2 - t1) / 200e6,
          (double) (t2 - t1) / (t1 - t0),
          (t3 - t2) / 200e6,
          sink % 10);
    }
  }
}
