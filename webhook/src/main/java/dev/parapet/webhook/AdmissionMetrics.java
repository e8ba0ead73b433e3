package dev.parapet.webhook;

import dev.parapet.webhook.rules.NotFullyCheckedRule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Webhook metrics: {@code parapet_webhook_requests_total} and the {@code
 * parapet_webhook_request_duration_seconds} histogram by kind and decision, and {@code
 * parapet_webhook_rule_decisions_total} by rule and enforcement, and {@code
 * parapet_webhook_not_fully_checked_total} by kind (reviews that ran out of their budget). Labels
 * come from fixed sets (known kinds, rule ids), never from request content.
 */
@ApplicationScoped
public class AdmissionMetrics implements AdmissionHandler.Listener {
  private final MeterRegistry registry;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Counter> rules = new ConcurrentHashMap<>();
  private final Map<String, Counter> notFullyChecked = new ConcurrentHashMap<>();

  public AdmissionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void decided(String kind, String decision, List<Violation> counted, long nanos) {
    var key = kind + "|" + decision;
    requests
        .computeIfAbsent(
            key,
            k ->
                Counter.builder("parapet.webhook.requests")
                    .description("AdmissionReview requests by object kind and decision")
                    .tag("kind", kind)
                    .tag("decision", decision)
                    .register(registry))
        .increment();
    timers
        .computeIfAbsent(
            key,
            k ->
                Timer.builder("parapet.webhook.request.duration")
                    .description("Time to decide an AdmissionReview")
                    .tag("kind", kind)
                    .tag("decision", decision)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    for (var v : counted) {
      if (v.rule() == NotFullyCheckedRule.METADATA) {
        notFullyChecked
            .computeIfAbsent(
                kind,
                k ->
                    Counter.builder("parapet.webhook.not.fully.checked")
                        .description(
                            "Reviews whose evaluation ran out of its budget (denied under a"
                                + " policy that can deny, else warned)")
                        .tag("kind", kind)
                        .register(registry))
            .increment();
      }
      var enforcement = v.exceptedBy() != null ? "Excepted" : v.enforcement().wireValue();
      rules
          .computeIfAbsent(
              v.rule().id() + "|" + enforcement,
              k ->
                  Counter.builder("parapet.webhook.rule.decisions")
                      .description("Workload rule violations by rule and enforcement")
                      .tag("rule", v.rule().id())
                      .tag("enforcement", enforcement)
                      .register(registry))
          .increment();
    }
  }
}
