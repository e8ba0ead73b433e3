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
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Pure diff of desired findings against the observed ones (the informer cache): what to create,
 * patch, resolve and delete. No I/O; the {@link FindingWriter} applies the plan.
 *
 * <p>Rules: a desired finding that exists with equal spec, operator labels, Argo CD annotations and
 * state is not touched. Labels and annotations the operator does not own (the user's {@code
 * parapet.dev/owner} and {@code parapet.dev/triage}, other tools') are kept on every write. An
 * observed finding that is not desired is resolved, unless {@code untouchable} says its (rule,
 * region) was UNKNOWN in this scan. A resolved finding is deleted after {@code retention}. At most
 * {@code cap} findings exist per scope: existing ones are always kept up to date, new ones are
 * created in severity order while there is room; the true total is in the counts.
 */
public final class FindingPlanner {

  private static final String LABEL_PREFIX = "parapet.dev/";

  /**
   * Annotation the writer puts on every Finding: {@link #specHash} of the spec it wrote. The
   * controller's store ({@link CompactFindingItemStore}) keeps only this hash of a spec and
   * recomputes it from what the API server sends, so the diff needs no whole Finding cached.
   */
  public static final String SPEC_HASH = "parapet.dev/spec-hash";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private FindingPlanner() {}

  public static FindingPlan plan(
      List<DesiredFinding> desired,
      Collection<Finding> observed,
      Predicate<Finding> untouchable,
      int cap,
      Instant now,
      Duration retention) {
    return plan(desired, observed, untouchable, f -> null, cap, now, retention);
  }

  /**
   * As above; {@code resolvedReason} says why an observed finding that is not desired is resolved
   * (the status's {@code resolvedReason}; null: it no longer fails). A finding whose resource left
   * the scan targets is resolved even when its (rule, region) is otherwise untouchable: the scan
   * judged that resource's tags.
   */
  public static FindingPlan plan(
      List<DesiredFinding> desired,
      Collection<Finding> observed,
      Predicate<Finding> untouchable,
      Function<Finding, String> resolvedReason,
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
      if (!specHash(d.spec()).equals(observedSpecHash(current))
          || !ownLabels(current).equals(d.labels())
          || !hasOwnAnnotations(current)) {
        var updated = toFinding(d);
        updated.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        updated.getMetadata().setLabels(mergedLabels(current, d));
        updated.getMetadata().setAnnotations(mergedAnnotations(current, d));
        updated.getMetadata().setOwnerReferences(current.getMetadata().getOwnerReferences());
        updated.setStatus(current.getStatus());
        specUpdates.add(updated);
      }
      var status =
          nextStatus(current.getStatus(), d, ts, invalidTriage(current))
              .withRemediation(remediation(current.getStatus()));
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
      if (f.getSpec() != null && f.getSpec().ofActivity()) {
        // An activity finding records an event, not a state: no scan resolves it; it is deleted
        // after its retention (planActivity).
        finalState.add(f);
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
      var reason = resolvedReason.apply(f);
      if (reason == null && untouchable.test(f)) {
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
              null,
              status == null ? null : status.reopenedAt(),
              status == null ? null : status.reopenCount(),
              invalidTriage(f),
              reason,
              remediation(status)));
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
   * The plan for a scope of activity findings ({@code FindingSpec.category = activity}): {@code
   * desired} are created (or, when redelivered or re-judged against the policy, brought up to
   * date); the other observed findings are left as they are, except those {@code expired} says are
   * past their retention, which are deleted. Nothing is ever resolved. The cap counts every finding
   * of the scope: new ones are created while there is room.
   */
  public static FindingPlan planActivity(
      List<DesiredFinding> desired,
      Collection<Finding> observed,
      Predicate<Finding> expired,
      int cap,
      Instant now) {
    var desiredNames = new HashSet<String>();
    desired.forEach(d -> desiredNames.add(d.name()));
    var kept = 0;
    var deletes = new ArrayList<Finding>();
    var remaining = new ArrayList<Finding>();
    for (var f : observed) {
      if (expired.test(f)) {
        deletes.add(f);
      } else {
        remaining.add(f);
        if (!desiredNames.contains(f.getMetadata().getName())) {
          kept++;
        }
      }
    }
    var expiredNames = new HashSet<String>();
    deletes.forEach(f -> expiredNames.add(f.getMetadata().getName()));
    var live = desired.stream().filter(d -> !expiredNames.contains(d.name())).toList();
    var plan =
        plan(live, remaining, f -> true, Math.max(0, cap - kept), now, Duration.ofDays(36500));
    return new FindingPlan(
        plan.creates(),
        plan.specUpdates(),
        plan.statusUpdates(),
        List.copyOf(deletes),
        plan.newlyOpen(),
        plan.counts());
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

  /** The remediation record survives every rescan; only the remediator writes it. */
  private static FindingStatus.Remediation remediation(FindingStatus s) {
    return s == null ? null : s.remediation();
  }

  private static FindingStatus nextStatus(
      FindingStatus current, DesiredFinding d, String ts, String invalidTriage) {
    if (current == null || current.state() == null) {
      return new FindingStatus(
          d.state(), ts, ts, null, d.suppressedBy(), null, null, invalidTriage);
    }
    var firstSeen = current.firstSeen() == null ? ts : current.firstSeen();
    if (current.state() == FindingStatus.State.RESOLVED) {
      // Failing again after it was resolved: reopened, with the user's triage labels untouched.
      var count = current.reopenCount() == null ? 1 : current.reopenCount() + 1;
      return new FindingStatus(
          d.state(), firstSeen, ts, null, d.suppressedBy(), ts, count, invalidTriage);
    }
    if (current.state() != d.state()) {
      return new FindingStatus(
          d.state(),
          firstSeen,
          ts,
          null,
          d.suppressedBy(),
          current.reopenedAt(),
          current.reopenCount(),
          invalidTriage);
    }
    // Same state: only a different suppressing exception or triage problem changes anything (and
    // not the time).
    return new FindingStatus(
        current.state(),
        firstSeen,
        current.lastTransitionTime(),
        current.resolvedAt(),
        d.suppressedBy(),
        current.reopenedAt(),
        current.reopenCount(),
        invalidTriage);
  }

  /**
   * The value of the {@code parapet.dev/triage} label when it is not one Parapet understands (it is
   * then ignored, and the status says so); null when absent or valid.
   */
  static String invalidTriage(Finding f) {
    var labels = f.getMetadata().getLabels();
    var value = labels == null ? null : labels.get(Finding.LABEL_TRIAGE);
    return value == null || Finding.TRIAGE_VALUES.contains(value) ? null : value;
  }

  /**
   * The observed labels with the operator's own replaced by the desired ones: user labels ({@code
   * parapet.dev/owner}, {@code parapet.dev/triage}) and any other tool's labels stay.
   */
  static Map<String, String> mergedLabels(Finding current, DesiredFinding d) {
    var labels = new HashMap<String, String>();
    if (current.getMetadata().getLabels() != null) {
      labels.putAll(current.getMetadata().getLabels());
    }
    labels.keySet().removeIf(FindingPlanner::operatorOwned);
    labels.putAll(d.labels());
    return labels;
  }

  /**
   * The observed annotations plus the operator's own (Argo CD's marks, the desired spec's hash),
   * nothing removed.
   */
  static Map<String, String> mergedAnnotations(Finding current, DesiredFinding d) {
    var annotations = new HashMap<String, String>();
    if (current.getMetadata().getAnnotations() != null) {
      annotations.putAll(current.getMetadata().getAnnotations());
    }
    annotations.putAll(Finding.ARGOCD_ANNOTATIONS);
    annotations.put(SPEC_HASH, specHash(d.spec()));
    return annotations;
  }

  /**
   * Digest of a spec's content (its JSON as the API server stores it; null fields and empty lists
   * are omitted on the wire, so a desired spec and the same spec read back hash alike): 128 bits of
   * SHA-256, base64url.
   */
  public static String specHash(FindingSpec spec) {
    try {
      var digest =
          java.security.MessageDigest.getInstance("SHA-256").digest(MAPPER.writeValueAsBytes(spec));
      return java.util.Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(java.util.Arrays.copyOf(digest, 16));
    } catch (java.security.NoSuchAlgorithmException
        | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot hash a Finding spec", e);
    }
  }

  /**
   * The spec hash of an observed Finding: from the controller's store it is the hash of what the
   * API server holds (the store recomputes it on every event); a whole Finding given directly
   * (tests, tools) is hashed from its spec.
   */
  static String observedSpecHash(Finding f) {
    var annotations = f.getMetadata().getAnnotations();
    var hash = annotations == null ? null : annotations.get(SPEC_HASH);
    if (hash != null) {
      return hash;
    }
    return f.getSpec() == null ? "" : specHash(f.getSpec());
  }

  static boolean hasOwnAnnotations(Finding f) {
    var annotations = f.getMetadata().getAnnotations();
    return annotations != null
        && Finding.ARGOCD_ANNOTATIONS.entrySet().stream()
            .allMatch(e -> e.getValue().equals(annotations.get(e.getKey())));
  }

  /** A label the operator writes and replaces: {@code parapet.dev/...} except the user's. */
  static boolean operatorOwned(String key) {
    return key.startsWith(LABEL_PREFIX) && !Finding.USER_LABELS.contains(key);
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
        .filter(e -> operatorOwned(e.getKey()))
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
            .withAnnotations(annotations(d))
            .withOwnerReferences(d.owner() == null ? List.of() : List.of(d.owner()))
            .build());
    f.setSpec(d.spec());
    return f;
  }

  private static Map<String, String> annotations(DesiredFinding d) {
    var annotations = new HashMap<>(Finding.ARGOCD_ANNOTATIONS);
    annotations.put(SPEC_HASH, specHash(d.spec()));
    return annotations;
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
