package dev.parapet.operator.aws.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parapet.operator.aws.collect.EventQueue;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.webhook.secrets.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Polls one account's event queue. Each {@link #cycle()} long-polls once, gathers a burst for the
 * coalescing window, and handles it: every CloudTrail record goes to the listeners; the mapped
 * events are grouped by region and each group causes one {@link Reevaluator} call for the union of
 * its datasets (so a burst of N events on one dataset re-collects it once). Messages are deleted
 * only once handled; a failed one is made visible again after a backoff, and SQS moves it to the
 * dead-letter queue after the queue's {@code maxReceiveCount} (the callbacks hear of it). A message
 * that is not a CloudTrail event (poison) fails the same way. Duplicate deliveries (same {@code
 * eventID}) are harmless: re-evaluation reads the current state, and a burst handles each {@code
 * eventID} once. A burst whose writes are fenced ({@link HandedOver}: the account moved to another
 * replica) is left in the queue untouched for the account's next holder.
 *
 * <p>Not thread-safe: {@link EventPollers} runs one cycle of a poller at a time.
 */
public final class EventPoller {

  private static final Logger LOG = Logger.getLogger(EventPoller.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Poller knobs; tests shorten them. */
  public record Settings(
      int waitSeconds,
      Duration coalesce,
      int maxBurst,
      int retryBackoffSeconds,
      Duration errorBackoff) {
    public static Settings defaults(Duration coalesce) {
      return new Settings(20, coalesce, 1000, 10, Duration.ofSeconds(30));
    }
  }

  private final CloudAccountRef account;
  private final EventQueue queue;
  private final Settings settings;
  private final Set<String> regions;
  private final String homeRegion;
  private final Reevaluator reevaluator;
  private final List<CloudTrailEventListener> listeners;
  private final PollerCallbacks callbacks;
  private final Clock clock;
  private volatile boolean stopped;
  private volatile PollerStatus status = PollerStatus.STARTING;
  private Integer maxReceiveCount;
  private boolean attributesRead;

  /**
   * @param regions the regions the account scans (empty: all): regional re-evaluation is skipped
   *     for events elsewhere
   * @param homeRegion where global datasets are collected
   */
  public EventPoller(
      CloudAccountRef account,
      EventQueue queue,
      Settings settings,
      Set<String> regions,
      String homeRegion,
      Reevaluator reevaluator,
      List<CloudTrailEventListener> listeners,
      PollerCallbacks callbacks,
      Clock clock) {
    this.account = account;
    this.queue = queue;
    this.settings = settings;
    this.regions = Set.copyOf(regions);
    this.homeRegion = homeRegion;
    this.reevaluator = reevaluator;
    this.listeners = List.copyOf(listeners);
    this.callbacks = callbacks;
    this.clock = clock;
  }

  public CloudAccountRef account() {
    return account;
  }

  public PollerStatus status() {
    return status;
  }

  /** Stops after the current cycle; unhandled messages stay in the queue for the next poller. */
  public void stop() {
    stopped = true;
  }

  public boolean stopped() {
    return stopped;
  }

  /**
   * One receive-and-handle round. Returns how long to wait before the next one: zero normally, the
   * error backoff after a queue failure (the status then says why).
   */
  public Duration cycle() {
    try {
      if (!attributesRead) {
        maxReceiveCount = queue.attributes().maxReceiveCount().orElse(null);
        attributesRead = true;
      }
      var burst = receiveBurst();
      setStatus(PollerStatus.polling(queue.url(), maxReceiveCount));
      if (!burst.isEmpty() && !stopped && !handle(burst)) {
        // Handed over: wait for the stop (shard or leadership loss) instead of receiving again,
        // which would only count receives against the queue's maxReceiveCount.
        return settings.errorBackoff();
      }
      return Duration.ZERO;
    } catch (EventQueue.QueueException e) {
      attributesRead = false; // the queue may be recreated with other settings
      var message = Redactor.redact(String.valueOf(e.getMessage()));
      LOG.warnf("event queue of %s: %s: %s", account.key(), e.reason(), message);
      setStatus(new PollerStatus(false, e.reason(), message));
      return settings.errorBackoff();
    }
  }

  private void setStatus(PollerStatus next) {
    if (!next.equals(status)) {
      LOG.infof("event queue of %s: %s: %s", account.key(), next.reason(), next.message());
      status = next;
      callbacks.status(account, next);
    }
  }

  private record Received(EventQueue.Message message, Instant at) {}

  private List<Received> receiveBurst() {
    var out = new ArrayList<Received>();
    queue
        .receive(10, settings.waitSeconds())
        .forEach(m -> out.add(new Received(m, clock.instant())));
    if (out.isEmpty() || settings.coalesce().isZero()) {
      return out;
    }
    var deadline = out.get(0).at().plus(settings.coalesce());
    while (!stopped && out.size() < settings.maxBurst()) {
      var left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        break;
      }
      var wait = (int) Math.min(20, (left.toMillis() + 999) / 1000);
      var more = queue.receive(10, wait);
      more.forEach(m -> out.add(new Received(m, clock.instant())));
    }
    return out;
  }

  /** One re-evaluation: a region, the union of datasets, and the messages that asked for it. */
  private static final class Group {
    final Set<Class<? extends Dataset>> datasets = new LinkedHashSet<>();
    final List<Received> messages = new ArrayList<>();
    Instant oldestEvent;
    int events;
    // The buckets of the burst's per-bucket S3 events; used only while every mapped event of the
    // group is one (EventMapping.PER_BUCKET) naming its bucket, else the whole datasets are read.
    final Set<String> buckets = new LinkedHashSet<>();
    boolean perBucket = true;
  }

  /** Handles a burst; false when it was handed over (every message left in the queue). */
  private boolean handle(List<Received> burst) {
    try {
      handleOrHandOver(burst);
      return true;
    } catch (HandedOver e) {
      LOG.infof(
          "%s: %s; %d message(s) left in the queue for the account's next holder",
          account.key(), Redactor.redact(String.valueOf(e.getMessage())), burst.size());
      return false;
    }
  }

  private void handleOrHandOver(List<Received> burst) {
    var failed = new LinkedHashMap<Received, String>();
    var groups = new LinkedHashMap<String, Group>();
    var seenEventIds = new HashSet<String>();
    for (var r : burst) {
      var record = parse(r.message().body());
      if (record.isEmpty()) {
        failed.put(r, "not a CloudTrail event (no detail with eventName and eventSource)");
        continue;
      }
      var detail = record.get().detail();
      var eventId = text(detail, "eventID");
      if (eventId != null && !seenEventIds.add(eventId)) {
        continue; // the same record delivered twice in one burst: handled once
      }
      var region = record.get().region() == null ? homeRegion : record.get().region();
      var listenerError = notifyListeners(region, detail);
      if (listenerError != null) {
        failed.put(r, listenerError);
      }
      var entry = EventMapping.find(text(detail, "eventSource"), text(detail, "eventName"));
      if (entry.isEmpty()) {
        continue;
      }
      var global = entry.get().datasets().stream().allMatch(Datasets::isGlobal);
      var where = global ? homeRegion : region;
      if (!global && !regions.isEmpty() && !regions.contains(region)) {
        LOG.debugf(
            "%s: %s in %s is outside the scanned regions",
            account.key(), entry.get().eventName(), region);
        continue;
      }
      var group = groups.computeIfAbsent(where, k -> new Group());
      group.datasets.addAll(entry.get().datasets());
      var ids = EventMapping.resourceIds(entry.get(), detail);
      if (EventMapping.PER_BUCKET.containsAll(entry.get().datasets()) && !ids.isEmpty()) {
        group.buckets.addAll(ids);
      } else {
        group.perBucket = false;
      }
      group.messages.add(r);
      group.events++;
      var at = eventTime(detail);
      if (at != null && (group.oldestEvent == null || at.isBefore(group.oldestEvent))) {
        group.oldestEvent = at;
      }
      LOG.debugf(
          "%s: %s %s changes %s",
          account.key(),
          entry.get().eventName(),
          EventMapping.resourceIds(entry.get(), detail),
          entry.get().datasets().stream().map(Class::getSimpleName).toList());
    }
    for (var e : groups.entrySet()) {
      var g = e.getValue();
      try {
        var calls =
            reevaluator.reevaluate(
                account,
                e.getKey(),
                Set.copyOf(g.datasets),
                g.perBucket ? Set.copyOf(g.buckets) : Set.of(),
                g.oldestEvent,
                g.messages.get(0).at());
        callbacks.reevaluated(account, e.getKey(), g.events, g.datasets.size(), calls);
      } catch (HandedOver ex) {
        throw ex;
      } catch (Exception ex) {
        var why =
            "re-evaluation in "
                + e.getKey()
                + " failed: "
                + Redactor.redact(String.valueOf(ex.getMessage()));
        LOG.warnf("%s: %s", account.key(), why);
        g.messages.forEach(m -> failed.putIfAbsent(m, why));
      }
    }
    for (var r : burst) {
      if (stopped) {
        return; // leave the rest in the queue: the next poller (or leader) handles them again
      }
      var why = failed.get(r);
      if (why == null) {
        queue.delete(r.message().receiptHandle());
        continue;
      }
      var count = r.message().receiveCount();
      if (maxReceiveCount != null && count >= maxReceiveCount) {
        callbacks.deadLettered(account, r.message().messageId(), count, why);
      }
      queue.retryAfter(
          r.message().receiptHandle(), Math.min(900, settings.retryBackoffSeconds() * count));
    }
  }

  private String notifyListeners(String region, JsonNode detail) {
    String error = null;
    for (var l : listeners) {
      try {
        l.onEvent(account, region, detail);
      } catch (HandedOver ex) {
        throw ex;
      } catch (RuntimeException ex) {
        error =
            "listener "
                + l.getClass().getSimpleName()
                + " failed: "
                + Redactor.redact(String.valueOf(ex.getMessage()));
        LOG.warnf("%s: %s", account.key(), error);
      }
    }
    return error;
  }

  /** A CloudTrail record and its region, from an EventBridge envelope or a bare record. */
  record Record(JsonNode detail, String region) {}

  static Optional<Record> parse(String body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (Exception e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    var detail = root.get("detail");
    if (detail == null || !detail.isObject()) {
      detail = root; // a record sent straight to the queue
    }
    if (text(detail, "eventName") == null || text(detail, "eventSource") == null) {
      return Optional.empty();
    }
    var region = text(detail, "awsRegion");
    if (region == null) {
      region = text(root, "region");
    }
    return Optional.of(new Record(detail, region));
  }

  private static String text(JsonNode node, String field) {
    var v = node == null ? null : node.get(field);
    return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
  }

  private static Instant eventTime(JsonNode detail) {
    var t = text(detail, "eventTime");
    if (t == null) {
      return null;
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
