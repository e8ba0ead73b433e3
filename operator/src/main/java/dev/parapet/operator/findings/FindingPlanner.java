package dev.parapet.operator.findings;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.Severity;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Pure diff of desired findings against the observed ones (the informer cache): what to create,
 * patch, resolve and delete. No I/O; the {@link FindingWriter} applies the plan.
 *
 * <p>Rules: a desired finding that exists with equal spec, labels and state is not touched. An
 * observed finding that is not desired is resolved, unless {@code untouchable} says its (rule,
 * region) was UNKNOWN in this scan. A resolved finding is deleted after {@code retention}. At most
 * {@code cap} findings exist per scope: existing ones are always kept up to date, new ones are
 * created in severity order while there is room; the true total is in the counts.
 */
public final class FindingPlanner {

  private static final String LABEL_PREFIX = "parapet.dev/";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private FindingPlanner() {}

  public static FindingPlan plan(
      List<DesiredFinding> desired,
      Collection<Finding> observed,
      Predicate<Finding> untouchable,
      int cap,
      Instant now,
      Duration retention) {
    var ts = now.toString();
    var byName = new HashMap<String, Finding>();
    observed.forEach(f -> byName.put(f.getMetadata().getName(), f));
    var sorted =
        desired.stream()
            .sorted(
                Comparator.comparing((DesiredFinding d) -> d.spec().rule().severity())
                    .thenComparing(DesiredFinding::name))
            .toList();
    var desiredNames = new HashSet<String>();
    var creates = new ArrayList<Finding>();
    var specUpdates = new ArrayList<Finding>();
    var statusUpdates = new ArrayList<Finding>();
    var deletes = new ArrayList<Finding>();
    var newlyOpen = new ArrayList<Finding>();
    var finalState = new ArrayList<Finding>();
    var existingDesired = sorted.stream().filter(d -> byName.containsKey(d.name())).count();
    var room = Math.max(0, cap - existingDesired);
    var truncated = 0;
    for (var raw : sorted) {
      var d = normalized(raw);
      desiredNames.add(d.name());
      var current = byName.get(d.name());
      if (current == null) {
        if (room == 0) {
          truncated++;
          continue;
        }
        room--;
        var created = toFinding(d);
        created.setStatus(new FindingStatus(d.state(), ts, ts, null, d.suppressedBy()));
        creates.add(created);
        finalState.add(created);
        if (d.state() == FindingStatus.State.OPEN) {
          newlyOpen.add(created);
        }
        continue;
      }
      if (!d.spec().equals(current.getSpec()) || !ownLabels(current).equals(d.labels())) {
        var updated = toFinding(d);
        updated.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        var labels =
            new HashMap<>(
                current.getMetadata().getLabels() == null
                    ? Map.of()
                    : current.getMetadata().getLabels());
        labels.keySet().removeIf(k -> k.startsWith(LABEL_PREFIX));
        labels.putAll(d.labels());
        updated.getMetadata().setLabels(labels);
        updated.getMetadata().setOwnerReferences(current.getMetadata().getOwnerReferences());
        updated.setStatus(current.getStatus());
        specUpdates.add(updated);
      }
      var status = nextStatus(current.getStatus(), d, ts);
      var result = copyWithStatus(current, d, status);
      if (!status.equals(current.getStatus())) {
        statusUpdates.add(result);
        var before = current.getStatus() == null ? null : current.getStatus().state();
        if (d.state() == FindingStatus.State.OPEN && before != FindingStatus.State.OPEN) {
          newlyOpen.add(result);
        }
      }
      finalState.add(result);
    }
    for (var f : observed) {
      if (desiredNames.contains(f.getMetadata().getName())) {
        continue;
      }
      var status = f.getStatus();
      var resolved = status != null && status.state() == FindingStatus.State.RESOLVED;
      if (resolved) {
        if (expired(status.resolvedAt(), retention, now)) {
          deletes.add(f);
        }
        continue;
      }
      if (untouchable.test(f)) {
        finalState.add(f);
        continue;
      }
      var copy = shallowCopy(f);
      copy.setStatus(
          new FindingStatus(
              FindingStatus.State.RESOLVED,
              status == null || status.firstSeen() == null ? ts : status.firstSeen(),
              ts,
              ts,
              null));
      statusUpdates.add(copy);
    }
    return new FindingPlan(
        List.copyOf(creates),
        List.copyOf(specUpdates),
        List.copyOf(statusUpdates),
        List.copyOf(deletes),
        List.copyOf(newlyOpen),
        counts(finalState, desired.size(), truncated));
  }

  /**
   * The desired finding as it reads back from the API server (empty lists and nulls are omitted on
   * the wire), so that equals() against the observed object means "nothing to write".
   */
  static DesiredFinding normalized(DesiredFinding d) {
    var spec = MAPPER.convertValue(d.spec(), FindingSpec.class);
    return new DesiredFinding(
        d.namespace(), d.name(), d.labels(), spec, d.owner(), d.suppressedBy());
  }

  /** Counts by severity over the findings that are Open or Suppressed after the plan. */
  static CloudAccountStatus.FindingCounts counts(
      Collection<Finding> findings, int total, int truncated) {
    var open = new EnumMap<Severity, Integer>(Severity.class);
    var suppressed = 0;
    for (var f : findings) {
      var state = f.getStatus() == null ? null : f.getStatus().state();
      if (state == FindingStatus.State.SUPPRESSED) {
        suppressed++;
      } else if (state == FindingStatus.State.OPEN) {
        open.merge(f.getSpec().rule().severity(), 1, Integer::sum);
      }
    }
    return new CloudAccountStatus.FindingCounts(
        open.getOrDefault(Severity.CRITICAL, 0),
        open.getOrDefault(Severity.HIGH, 0),
        open.getOrDefault(Severity.MEDIUM, 0),
        open.getOrDefault(Severity.LOW, 0),
        open.getOrDefault(Severity.INFORMATIONAL, 0),
        suppressed,
        total,
        truncated);
  }

  private static FindingStatus nextStatus(FindingStatus current, DesiredFinding d, String ts) {
    if (current == null || current.state() == null) {
      return new FindingStatus(d.state(), ts, ts, null, d.suppressedBy());
    }
    var firstSeen = current.firstSeen() == null ? ts : current.firstSeen();
    if (current.state() != d.state()) {
      return new FindingStatus(d.state(), firstSeen, ts, null, d.suppressedBy());
    }
    // Same state: only a different suppressing exception changes anything (and not the time).
    return new FindingStatus(
        current.state(),
        firstSeen,
        current.lastTransitionTime(),
        current.resolvedAt(),
        d.suppressedBy());
  }

  private static boolean expired(String resolvedAt, Duration retention, Instant now) {
    if (resolvedAt == null) {
      return false;
    }
    try {
      return !Instant.parse(resolvedAt).plus(retention).isAfter(now);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static Map<String, String> ownLabels(Finding f) {
    var labels = f.getMetadata().getLabels();
    if (labels == null) {
      return Map.of();
    }
    return labels.entrySet().stream()
        .filter(e -> e.getKey().startsWith(LABEL_PREFIX))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** A new Finding object for a desired finding (no status). */
  public static Finding toFinding(DesiredFinding d) {
    var f = new Finding();
    f.setMetadata(
        new ObjectMetaBuilder()
            .withName(d.name())
            .withNamespace(d.namespace())
            .withLabels(new HashMap<>(d.labels()))
            .withOwnerReferences(d.owner() == null ? List.of() : List.of(d.owner()))
            .build());
    f.setSpec(d.spec());
    return f;
  }

  private static Finding copyWithStatus(Finding current, DesiredFinding d, FindingStatus status) {
    var copy = shallowCopy(current);
    copy.setSpec(d.spec());
    copy.setStatus(status);
    return copy;
  }

  private static Finding shallowCopy(Finding f) {
    var copy = new Finding();
    copy.setMetadata(new ObjectMetaBuilder(f.getMetadata()).build());
    copy.setSpec(f.getSpec());
    copy.setStatus(f.getStatus());
    return copy;
  }
}
