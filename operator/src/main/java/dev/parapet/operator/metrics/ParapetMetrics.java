package dev.parapet.operator.metrics;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.operator.scan.ScanOutcome;
import dev.parapet.webhook.secrets.Redactor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Prometheus metrics of the controller. Labels never carry credentials or evidence. */
@ApplicationScoped
public class ParapetMetrics {

  private final MeterRegistry registry;
  private final MultiGauge findings;
  private final Map<String, java.util.concurrent.atomic.AtomicLong> lastFinished =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Inject
  public ParapetMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.findings =
        MultiGauge.builder("parapet_findings")
            .description("Finding objects by source, severity, rule and state")
            .register(registry);
  }

  public void scanFinished(CloudAccount account, ScanOutcome o) {
    // Scan freshness lives here, not in status: an unchanged rescan writes no status (the recorded
    // timing is refreshed only every parapet.scan.status-timing-refresh).
    lastFinished
        .computeIfAbsent(
            account.getMetadata().getNamespace() + "/" + account.getMetadata().getName(),
            k ->
                registry.gauge(
                    "parapet_scan_last_finished_timestamp_seconds",
                    Tags.of(
                        "namespace", account.getMetadata().getNamespace(),
                        "account", account.getMetadata().getName()),
                    new java.util.concurrent.atomic.AtomicLong()))
        .set(o.finishedAt().getEpochSecond());
    var tags =
        Tags.of(
            "namespace", account.getMetadata().getNamespace(),
            "account", account.getMetadata().getName(),
            "result", o.fatal() != null ? "failed" : o.degraded() ? "degraded" : "succeeded");
    Timer.builder("parapet_scan_duration")
        .description("Wall time of cloud account scans")
        .tags(tags)
        .register(registry)
        .record(Duration.between(o.startedAt(), o.finishedAt()));
    registry
        .counter(
            "parapet_scan_api_calls",
            "namespace",
            account.getMetadata().getNamespace(),
            "account",
            account.getMetadata().getName())
        .increment(o.apiCalls());
    for (var e : o.errors()) {
      registry
          .counter(
              "parapet_scan_errors",
              "service",
              label(e.service()),
              "region",
              label(e.region()),
              "reason",
              label(e.reason()))
          .increment();
    }
    if (o.fatal() != null) {
      registry
          .counter(
              "parapet_scan_errors",
              "service",
              "all",
              "region",
              "all",
              "reason",
              label(o.fatal().reason()))
          .increment();
    }
  }

  /** Drops the per-account scan meters of a deleted CloudAccount, so no stale freshness remains. */
  public void accountDeleted(String namespace, String name) {
    lastFinished.remove(namespace + "/" + name);
    registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("parapet_scan"))
        .filter(m -> namespace.equals(m.getId().getTag("namespace")))
        .filter(m -> name.equals(m.getId().getTag("account")))
        .toList()
        .forEach(registry::remove);
  }

  /**
   * Event-driven re-evaluation finished writing Findings: {@code since} is {@code event} for the
   * time from the CloudTrail eventTime (end to end, includes AWS's delivery) and {@code received}
   * for the time from the message's receipt (Parapet's share).
   */
  public void eventToFinding(String since, Duration d) {
    Timer.builder("parapet_event_to_finding")
        .description("Time from a change event to its Findings being written")
        .tags("since", since)
        .publishPercentileHistogram()
        .register(registry)
        .record(d.isNegative() ? Duration.ZERO : d);
  }

  /** An event burst was re-evaluated with {@code apiCalls} AWS calls. */
  public void eventsReevaluated(int events, long apiCalls) {
    registry.counter("parapet_events_processed").increment(events);
    registry.counter("parapet_events_api_calls").increment(apiCalls);
  }

  /** A message failed for the last time and goes to the dead-letter queue. */
  public void eventDeadLettered() {
    registry.counter("parapet_events_dead_lettered").increment();
  }

  public void reconcileFailed(String controller) {
    registry.counter("parapet_reconcile_failures", "controller", controller).increment();
  }

  /** Recomputes the findings gauge from {@code all}. */
  public void refreshFindings(Collection<Finding> all) {
    var counts = new HashMap<List<String>, Integer>();
    for (var f : all) {
      count(counts, f.getSpec(), f.getStatus());
    }
    publish(counts);
  }

  /**
   * Recomputes the findings gauge from the Finding cache, counting over its compact projections
   * (after every scan: with 100k Findings, building them as Findings cost more than counting).
   * {@code cache} is the cache's walk, e.g. {@code FindingStore::forEachSpecAndStatus} (taken as a
   * function so that metrics, which the policy package uses, does not depend on findings).
   */
  public void refreshFindings(
      java.util.function.Consumer<java.util.function.BiConsumer<FindingSpec, FindingStatus>>
          cache) {
    var counts = new HashMap<List<String>, Integer>();
    cache.accept((spec, status) -> count(counts, spec, status));
    publish(counts);
  }

  private static void count(
      Map<List<String>, Integer> counts, FindingSpec spec, FindingStatus status) {
    if (spec == null || spec.rule() == null) {
      return;
    }
    var state = status == null || status.state() == null ? "Unknown" : status.state().name();
    var key =
        List.of(
            spec.source() == null ? "" : spec.source().wireValue(),
            spec.rule().severity() == null ? "" : spec.rule().severity().wireValue(),
            spec.rule().id(),
            state.charAt(0) + state.substring(1).toLowerCase(java.util.Locale.ROOT));
    counts.merge(key, 1, Integer::sum);
  }

  private void publish(Map<List<String>, Integer> counts) {
    findings.register(
        counts.entrySet().stream()
            .map(
                (Map.Entry<List<String>, Integer> e) ->
                    MultiGauge.Row.of(
                        Tags.of(
                            "source", e.getKey().get(0),
                            "severity", e.getKey().get(1),
                            "rule", label(e.getKey().get(2)),
                            "state", e.getKey().get(3)),
                        e.getValue()))
            .toList(),
        true);
  }

  /** A label value as exported: never null, never a credential (values may come from users). */
  static String label(String s) {
    return s == null ? "" : Redactor.redact(s);
  }
}
