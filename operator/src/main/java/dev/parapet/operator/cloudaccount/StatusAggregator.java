package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.operator.reconcile.Conditions;
import dev.parapet.operator.scan.ScanOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds a CloudAccount status from what is known: the last scan (if any), whether a scan is
 * running, suspend. Conditions keep their lastTransitionTime unless their status changes, so an
 * unchanged account yields an equal status and no write.
 */
public final class StatusAggregator {

  public static final String READY = "Ready";
  public static final String CREDENTIALS_VALID = "CredentialsValid";
  public static final String SCAN_SUCCEEDED = "ScanSucceeded";
  public static final String DEGRADED = "Degraded";

  /** Present while a PosturePolicy's remediation covers the account: how the last run went. */
  public static final String REMEDIATION = "Remediation";

  /** Ready=False reason when the spec holds a value the schema should have rejected. */
  public static final String INVALID_SPEC = "InvalidSpec";

  /** Ready=False reason when an older CloudAccount in the namespace scans the same AWS account. */
  public static final String DUPLICATE_ACCOUNT = "DuplicateAccount";

  /** Why no scan runs for a valid-looking account: Ready=False with this reason and message. */
  public record Blocked(String reason, String message) {

    /** A value the schema should have rejected: every problem, naming the field and the fix. */
    public static Blocked invalidSpec(String problems) {
      return new Blocked(
          INVALID_SPEC, problems + ". No scans run until the spec is fixed; findings are kept.");
    }

    /**
     * Another CloudAccount of the namespace already scans this AWS account. Findings are named by
     * AWS account, region and resource within a namespace, so two scanners of one account would
     * write the same Findings; the oldest CloudAccount (then the first by name) scans it.
     */
    public static Blocked duplicateOf(String owner, String accountId) {
      return new Blocked(
          DUPLICATE_ACCOUNT,
          "AWS account "
              + accountId
              + " is already scanned by CloudAccount "
              + owner
              + " in this namespace; no scans run for this one (its Findings would be the same"
              + " objects). Delete one of the two, or move this one to another namespace.");
    }
  }

  private StatusAggregator() {}

  /**
   * Inputs of one aggregation. {@code last} is null when no scan finished in this process. {@code
   * blocked} is null when scans may run; otherwise why none runs.
   */
  public record Input(
      CloudAccountStatus current,
      long generation,
      ScanRecord last,
      boolean scanning,
      boolean suspended,
      List<String> requiredPermissions,
      Instant now,
      Blocked blocked) {

    /** Inputs for a valid spec. */
    public Input(
        CloudAccountStatus current,
        long generation,
        ScanRecord last,
        boolean scanning,
        boolean suspended,
        List<String> requiredPermissions,
        Instant now) {
      this(current, generation, last, scanning, suspended, requiredPermissions, now, null);
    }
  }

  public static CloudAccountStatus aggregate(Input in) {
    var current = in.current();
    var conditions = new ArrayList<Condition>();
    var last = in.last();
    CloudAccountStatus.Identity identity = current == null ? null : current.identity();
    CloudAccountStatus.LastScan lastScan = current == null ? null : current.lastScan();
    CloudAccountStatus.FindingCounts counts = current == null ? null : current.findings();
    String nextScanAt = current == null ? null : current.nextScanAt();

    var noScans = in.suspended() || in.blocked() != null;
    if (last != null) {
      var o = last.outcome();
      lastScan = lastScan(o);
      nextScanAt = noScans ? null : last.nextScanAt().toString();
      if (o.fatal() == null) {
        identity = o.identity();
        counts = last.counts();
      }
    } else if (noScans) {
      nextScanAt = null;
    }

    if (in.blocked() != null) {
      conditions.add(cond(READY, Condition.FALSE, in.blocked().reason(), in.blocked().message()));
    } else if (in.suspended()) {
      conditions.add(
          cond(
              READY,
              Condition.FALSE,
              "Suspended",
              "spec.scan.suspend is true: no scans run and existing findings are kept"));
    } else if (last == null && previousVerdict(current, in.generation()) != null) {
      // No scan finished in this process yet (a restart or a new leader), but one of the previous
      // process did for this generation: its verdict stands until this process's own scan ends,
      // so a restart does not flip Ready to Unknown and back on every account.
      conditions.add(previousVerdict(current, in.generation()));
    } else if (last == null) {
      conditions.add(
          cond(
              READY,
              Condition.UNKNOWN,
              "Scanning",
              in.scanning() ? "the first scan is running" : "a scan is queued"));
    } else if (last.outcome().fatal() != null) {
      var f = last.outcome().fatal();
      conditions.add(cond(READY, Condition.FALSE, f.reason(), f.message()));
    } else if (last.outcome().degraded()) {
      conditions.add(
          cond(
              READY,
              Condition.TRUE,
              "ScannedWithErrors",
              "the last scan finished, but " + summary(last.outcome())));
    } else {
      conditions.add(
          cond(READY, Condition.TRUE, "Scanned", "the last scan finished without errors"));
    }

    if (last != null) {
      var o = last.outcome();
      var f = o.fatal();
      if (f != null && f.credentials()) {
        conditions.add(cond(CREDENTIALS_VALID, Condition.FALSE, f.reason(), f.message()));
      } else if (f == null) {
        var arn = o.identity() == null ? "unknown" : o.identity().arn();
        conditions.add(
            cond(CREDENTIALS_VALID, Condition.TRUE, "Verified", "credentials resolved to " + arn));
      } else {
        conditions.add(
            cond(
                CREDENTIALS_VALID,
                Condition.UNKNOWN,
                "NotChecked",
                "the scan stopped before the credentials were checked: " + f.reason()));
      }
      if (f != null) {
        conditions.add(cond(SCAN_SUCCEEDED, Condition.FALSE, f.reason(), f.message()));
      } else if (last.writeFailures() > 0) {
        conditions.add(
            cond(
                SCAN_SUCCEEDED,
                Condition.FALSE,
                "FindingWriteFailed",
                last.writeFailures() + " Finding writes failed; the next scan retries them"));
      } else {
        conditions.add(
            cond(
                SCAN_SUCCEEDED,
                Condition.TRUE,
                "Completed",
                "scanned " + o.resources() + " resources with " + o.apiCalls() + " API calls"));
      }
      if (f == null && o.degraded()) {
        conditions.add(cond(DEGRADED, Condition.TRUE, "PartialScan", summary(o)));
      } else if (f == null) {
        conditions.add(
            cond(DEGRADED, Condition.FALSE, "Complete", "every service and region was read"));
      }
      if (last.securityHub() != null) {
        conditions.add(last.securityHub().condition());
      }
      var r = last.remediation();
      if (r != null) {
        conditions.add(cond(REMEDIATION, r.status(), r.reason(), r.message()));
      }
    } else if (current != null && current.conditions() != null) {
      // No scan in this process yet (e.g. after a restart): keep what the last process observed.
      current.conditions().stream().filter(c -> !READY.equals(c.type())).forEach(conditions::add);
    }

    return new CloudAccountStatus(
        in.generation(),
        Conditions.keepTransitionTimes(
            current == null ? null : current.conditions(), conditions, in.generation(), in.now()),
        identity,
        lastScan,
        nextScanAt,
        counts,
        in.requiredPermissions().isEmpty() ? null : List.copyOf(in.requiredPermissions()));
  }

  /**
   * Keeps the recorded scan timing when it is the only thing that moved and is younger than {@code
   * refresh}: returns {@code current} itself then, so the caller sees "unchanged" and writes
   * nothing. Any other difference (counts, conditions, errors, regions, API calls, identity,
   * generation, permissions) returns {@code next} with its fresh timing.
   */
  public static CloudAccountStatus holdTiming(
      CloudAccountStatus current, CloudAccountStatus next, Instant now, Duration refresh) {
    if (current == null
        || next == null
        || current.lastScan() == null
        || next.lastScan() == null
        || current.lastScan().finishedAt() == null) {
      return next;
    }
    Instant recorded;
    try {
      recorded = Instant.parse(current.lastScan().finishedAt());
    } catch (java.time.format.DateTimeParseException e) {
      return next;
    }
    if (!now.isBefore(recorded.plus(refresh))) {
      return next;
    }
    var c = current.lastScan();
    var n = next.lastScan();
    var withOldTiming =
        new CloudAccountStatus(
            next.observedGeneration(),
            next.conditions(),
            next.identity(),
            new CloudAccountStatus.LastScan(
                c.startedAt(),
                c.finishedAt(),
                c.durationSeconds(),
                n.apiCalls(),
                n.resources(),
                n.regions(),
                n.errors()),
            current.nextScanAt(),
            next.findings(),
            next.requiredPermissions(),
            next.shard());
    return withOldTiming.equals(current) ? current : next;
  }

  /** The Ready condition a finished scan of {@code generation} left in {@code current}, if any. */
  private static Condition previousVerdict(CloudAccountStatus current, long generation) {
    if (current == null || current.conditions() == null || current.lastScan() == null) {
      return null;
    }
    return current.conditions().stream()
        .filter(c -> READY.equals(c.type()))
        .filter(c -> c.observedGeneration() != null && c.observedGeneration() == generation)
        .filter(c -> !Condition.UNKNOWN.equals(c.status()))
        .filter(
            c ->
                !"Suspended".equals(c.reason())
                    && !INVALID_SPEC.equals(c.reason())
                    && !DUPLICATE_ACCOUNT.equals(c.reason()))
        .findFirst()
        .map(c -> cond(c.type(), c.status(), c.reason(), c.message()))
        .orElse(null);
  }

  static CloudAccountStatus.LastScan lastScan(ScanOutcome o) {
    var duration = Duration.between(o.startedAt(), o.finishedAt()).toMillis() / 1000.0;
    return new CloudAccountStatus.LastScan(
        o.startedAt().toString(),
        o.finishedAt().toString(),
        duration,
        o.apiCalls(),
        o.resources(),
        o.regions().isEmpty() ? null : o.regions(),
        o.errors().isEmpty() ? null : o.errors());
  }

  public static String summary(ScanOutcome o) {
    if (o.errors().isEmpty()) {
      return o.unknown().size()
          + " rule/region checks were UNKNOWN; their findings were left untouched";
    }
    var listed =
        o.errors().stream()
            .limit(5)
            .map(
                e ->
                    e.service()
                        + " in "
                        + e.region()
                        + ": "
                        + e.reason()
                        + (e.message() == null ? "" : " (" + e.message() + ")"))
            .collect(Collectors.joining("; "));
    var more = o.errors().size() > 5 ? "; and " + (o.errors().size() - 5) + " more" : "";
    return "some services could not be read, their findings were left untouched: " + listed + more;
  }

  private static Condition cond(String type, String status, String reason, String message) {
    return new Condition(type, status, reason, message, null, null);
  }
}
