package dev.parapet.operator.remediation;

import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.FindingStatus.RemediationState;
import dev.parapet.api.v1alpha1.PosturePolicySpec.RemediationMode;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.AwsSession;
import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.policy.RemediationSettings;
import dev.parapet.operator.scan.CheckResult;
import dev.parapet.webhook.secrets.Redactor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Runs the remediation of one account after a scan: for every Open finding whose rule a policy
 * covers, in severity order, up to the per-scan limit, it plans the action (DryRun: shows it) or
 * makes it (Apply, with the write role) and verifies it by a rescan of the remediated rules.
 *
 * <p>Guarantees: nothing at all runs under a kill switch (no AWS call either); a resource carrying
 * an exclusion tag (as the scan read it, and as the plan re-reads it) is never changed; DryRun
 * makes only reads; Apply without a write role changes nothing and says so; a failed action is
 * tried at most once per scan and then only after a doubling backoff; the outcome of every attempt
 * is returned for the Finding's status, with Events and a condition for the account.
 */
public final class Remediator {

  /** Maximum wait between attempts of an action that keeps failing. */
  static final Duration MAX_BACKOFF = Duration.ofHours(24);

  private final AwsClientFactory clients;
  private final Clock clock;
  private final Duration backoff;

  public Remediator(AwsClientFactory clients, Clock clock, Duration backoff) {
    this.clients = clients;
    this.clock = clock;
    this.backoff = backoff;
  }

  /**
   * The account as remediation sees it.
   *
   * @param read the scan's credentials (DryRun plans with them when there is no write role)
   * @param write the write role's credentials; null when the CloudAccount names none
   * @param stop why every action is stopped (kill switch), or null
   */
  public record Account(
      String accountId,
      URI endpoint,
      String homeRegion,
      CredentialSource read,
      CredentialSource write,
      String stop) {}

  /** One Open finding: its name, the scan result, and the remediation its status holds now. */
  public record Item(String findingName, CheckResult result, FindingStatus.Remediation previous) {}

  /** Rescans the given rules (Apply's verification) and tells which findings still fail. */
  public interface Verifier {
    Rescan rescan(Set<String> rules);
  }

  /**
   * @param failing names of the findings the rescan still reports
   * @param unknownRules rules the rescan could not evaluate somewhere (no verdict)
   */
  public record Rescan(Set<String> failing, Set<String> unknownRules) {}

  /** A Kubernetes Event to record on the CloudAccount. */
  public record Event(String type, String reason, String message) {}

  /** The account's Remediation condition. */
  public record Summary(String status, String reason, String message) {}

  /**
   * @param records the new remediation record per finding name (only those that changed)
   * @param summary the account's condition; null when no policy covers a rule of this account
   * @param apiCalls AWS calls remediation made (plans, actions, read-backs; not the rescan)
   */
  public record Result(
      Map<String, FindingStatus.Remediation> records,
      List<Event> events,
      Summary summary,
      Map<String, Long> apiCalls) {

    static final Result NONE = new Result(Map.of(), List.of(), null, Map.of());
  }

  /** Remediates the account's Open findings as {@code settings} say. */
  public Result run(
      Account account,
      List<Item> items,
      RemediationSettings settings,
      int unusedCredentialDays,
      Verifier verifier) {
    if (!settings.active()) {
      return Result.NONE;
    }
    var covered =
        items.stream()
            .filter(i -> settings.mode(i.result().rule().id()) != RemediationMode.OFF)
            .filter(i -> RemediationCatalogue.forRule(i.result().rule().id()).isPresent())
            .sorted(
                Comparator.comparing((Item i) -> i.result().severity())
                    .thenComparing(Item::findingName))
            .toList();
    var noAction =
        settings.modes().keySet().stream()
            .filter(r -> RemediationCatalogue.forRule(r).isEmpty())
            .toList();
    var now = clock.instant();
    var records = new LinkedHashMap<String, FindingStatus.Remediation>();
    var events = new ArrayList<Event>();
    if (account.stop() != null) {
      for (var i : covered) {
        put(
            records,
            i,
            record(
                i, settings, RemediationState.SKIPPED, null, null, null, now, account.stop(), 0));
      }
      events.add(new Event("Warning", "RemediationStopped", account.stop()));
      return new Result(
          records,
          events,
          new Summary("False", "KillSwitch", account.stop() + suffix(noAction)),
          Map.of());
    }
    var wantsApply =
        covered.stream()
            .anyMatch(i -> settings.mode(i.result().rule().id()) == RemediationMode.APPLY);
    var writeMissing = wantsApply && account.write() == null;
    if (writeMissing) {
      events.add(new Event("Warning", "RemediationWriteRoleMissing", NO_WRITE_ROLE));
    }
    var applied = new ArrayList<Item>();
    var appliedRecords = new LinkedHashMap<String, FindingStatus.Remediation>();
    var failures = new ArrayList<String>();
    var done = 0;
    var planned = 0;
    var skipped = 0;
    String writeBroken = null;
    var calls = new java.util.TreeMap<String, Long>();
    try (var readSession = open(account, account.read());
        var writeSession = account.write() == null ? null : open(account, account.write())) {
      for (var item : covered) {
        var rule = item.result().rule().id();
        var action = RemediationCatalogue.forRule(rule).orElseThrow();
        var mode = settings.mode(rule);
        var previous = item.previous();
        if (settings.excluded(item.result().tags())) {
          skipped++;
          put(records, item, skip(item, settings, now, excludedMessage(settings)));
          continue;
        }
        if (mode == RemediationMode.APPLY && writeMissing) {
          skipped++;
          put(records, item, skip(item, settings, now, NO_WRITE_ROLE));
          continue;
        }
        if (mode == RemediationMode.APPLY && writeBroken != null) {
          skipped++;
          put(records, item, skip(item, settings, now, writeBroken));
          continue;
        }
        if (previous != null
            && previous.state() == RemediationState.FAILED
            && now.isBefore(retryAt(previous))) {
          continue; // keep the failure on the Finding; no storm of retries
        }
        if (done >= settings.maxActionsPerScan()) {
          skipped++;
          put(
              records,
              item,
              skip(
                  item,
                  settings,
                  now,
                  "limit of "
                      + settings.maxActionsPerScan()
                      + " actions per scan for this account reached; waits for the next scan"));
          continue;
        }
        var session = writeSession != null ? writeSession : readSession;
        var target = target(account, item, unusedCredentialDays, now);
        Plan plan;
        try (var bound = session.bind()) {
          plan = action.plan(session, target);
        } catch (RuntimeException e) {
          var message = "could not read the resource to plan: " + describe(e);
          if (mode == RemediationMode.APPLY && isAssumeRoleFailure(e)) {
            writeBroken = "the write role could not be assumed: " + describe(e);
          }
          failures.add(item.findingName());
          var n = previous != null && previous.failures() != null ? previous.failures() + 1 : 1;
          put(
              records,
              item,
              record(item, settings, RemediationState.FAILED, null, null, null, now, message, n));
          events.add(
              new Event(
                  "Warning",
                  "RemediationFailed",
                  action.id() + " on " + resource(item) + ": " + message));
          continue;
        }
        if (plan.tags() != null && settings.excluded(plan.tags())) {
          skipped++;
          put(records, item, skip(item, settings, now, excludedMessage(settings)));
          continue;
        }
        if (plan.skipped()) {
          skipped++;
          put(
              records,
              item,
              record(
                  item,
                  settings,
                  RemediationState.SKIPPED,
                  null,
                  plan.before(),
                  null,
                  now,
                  plan.skip(),
                  0));
          continue;
        }
        done++;
        var call = plan.call();
        if (mode == RemediationMode.DRY_RUN) {
          planned++;
          var r =
              record(
                  item,
                  settings,
                  RemediationState.PLANNED,
                  call,
                  plan.before(),
                  null,
                  now,
                  "DryRun: nothing was changed; Apply would make this call",
                  0);
          if (put(records, item, r)) {
            events.add(
                new Event(
                    "Normal",
                    "RemediationPlanned",
                    action.id() + " on " + resource(item) + ": " + call));
          }
          continue;
        }
        try (var bound = writeSession.bind()) {
          var after = action.apply(writeSession, target, plan);
          var r =
              record(
                  item,
                  settings,
                  RemediationState.NOT_RESOLVED,
                  call,
                  plan.before(),
                  after,
                  now,
                  "applied; waiting for the rescan",
                  0);
          applied.add(item);
          appliedRecords.put(item.findingName(), r);
          events.add(
              new Event(
                  "Normal",
                  "RemediationApplied",
                  action.id() + " on " + resource(item) + ": " + call));
        } catch (RuntimeException e) {
          if (isAssumeRoleFailure(e)) {
            writeBroken = "the write role could not be assumed: " + describe(e);
          }
          var n = previous != null && previous.failures() != null ? previous.failures() + 1 : 1;
          var r =
              record(
                  item,
                  settings,
                  RemediationState.FAILED,
                  call,
                  plan.before(),
                  null,
                  now,
                  describe(e),
                  n);
          failures.add(item.findingName());
          put(records, item, r);
          events.add(
              new Event(
                  "Warning",
                  "RemediationFailed",
                  action.id()
                      + " on "
                      + resource(item)
                      + " failed: "
                      + describe(e)
                      + "; next attempt after "
                      + retryAt(r)));
        }
      }
      readSession.counter().calls().forEach((k, v) -> calls.merge(k, v, Long::sum));
      if (writeSession != null) {
        writeSession.counter().calls().forEach((k, v) -> calls.merge(k, v, Long::sum));
      }
    }
    var notResolved = verify(applied, appliedRecords, verifier, records, events);
    return new Result(
        records,
        events,
        summary(
            writeMissing,
            writeBroken,
            failures,
            notResolved,
            applied.size(),
            planned,
            skipped,
            noAction),
        calls);
  }

  static final String NO_WRITE_ROLE =
      "remediation mode Apply needs a write role: set spec.remediation.roleArn on the"
          + " CloudAccount (deploy/aws/parapet-scan-role.yaml, EnableRemediationRole=true);"
          + " nothing was changed";

  private List<String> verify(
      List<Item> applied,
      Map<String, FindingStatus.Remediation> appliedRecords,
      Verifier verifier,
      Map<String, FindingStatus.Remediation> records,
      List<Event> events) {
    var notResolved = new ArrayList<String>();
    if (applied.isEmpty()) {
      return notResolved;
    }
    var rules = new TreeSet<String>();
    applied.forEach(i -> rules.add(i.result().rule().id()));
    Rescan rescan = null;
    String error = null;
    try {
      rescan = verifier.rescan(rules);
    } catch (RuntimeException e) {
      error = describe(e);
    }
    for (var item : applied) {
      var r = appliedRecords.get(item.findingName());
      String message;
      RemediationState state;
      if (rescan == null) {
        state = RemediationState.NOT_RESOLVED;
        message = "applied, but the rescan failed: " + error;
      } else if (rescan.unknownRules().contains(item.result().rule().id())) {
        state = RemediationState.NOT_RESOLVED;
        message = "applied, but the rescan could not evaluate the rule (see the account's errors)";
      } else if (rescan.failing().contains(item.findingName())) {
        state = RemediationState.NOT_RESOLVED;
        message = "applied, but the rescan still fails the rule";
      } else {
        state = RemediationState.VERIFIED;
        message = "applied and verified: the rescan no longer fails the rule";
      }
      if (state != RemediationState.VERIFIED) {
        notResolved.add(item.findingName());
        events.add(
            new Event(
                "Warning",
                "RemediationNotResolved",
                r.action() + " on " + resource(item) + ": " + message));
      }
      records.put(
          item.findingName(),
          new FindingStatus.Remediation(
              r.mode(), r.action(), state, r.call(), r.before(), r.after(), r.at(), message, 0));
    }
    return notResolved;
  }

  private static Summary summary(
      boolean writeMissing,
      String writeBroken,
      List<String> failures,
      List<String> notResolved,
      int applied,
      int planned,
      int skipped,
      List<String> noAction) {
    var counts =
        (applied - notResolved.size())
            + " applied and verified, "
            + notResolved.size()
            + " applied but not resolved, "
            + failures.size()
            + " failed, "
            + planned
            + " planned (DryRun), "
            + skipped
            + " skipped in this scan"
            + suffix(noAction);
    if (writeMissing) {
      return new Summary("False", "WriteRoleMissing", NO_WRITE_ROLE + ". " + counts);
    }
    if (writeBroken != null) {
      return new Summary("False", "WriteRoleUnavailable", writeBroken + ". " + counts);
    }
    if (!failures.isEmpty()) {
      return new Summary("False", "ActionsFailed", counts);
    }
    if (!notResolved.isEmpty()) {
      return new Summary("False", "NotResolved", counts);
    }
    return new Summary("True", applied > 0 ? "Applied" : planned > 0 ? "Planned" : "Idle", counts);
  }

  private static String suffix(List<String> noAction) {
    return noAction.isEmpty()
        ? ""
        : "; no remediation action exists for " + String.join(", ", noAction) + " (ignored)";
  }

  private Instant retryAt(FindingStatus.Remediation failed) {
    var n = failed.failures() == null ? 1 : Math.max(1, failed.failures());
    var wait = backoff.multipliedBy(1L << Math.min(n - 1, 16));
    if (wait.compareTo(MAX_BACKOFF) > 0) {
      wait = MAX_BACKOFF;
    }
    return Instant.parse(failed.at()).plus(wait);
  }

  private AwsSession open(Account account, CredentialSource source) {
    return clients.open(source, account.endpoint(), account.homeRegion());
  }

  private static Target target(Account account, Item item, int unusedDays, Instant now) {
    var r = item.result();
    var region =
        r.region() == null || r.region().isEmpty() || Datasets.GLOBAL.equals(r.region())
            ? account.homeRegion()
            : r.region();
    return new Target(account.accountId(), region, r.resourceId(), r.tags(), unusedDays, now);
  }

  private static String resource(Item item) {
    return item.result().resourceId() + " (" + item.result().region() + ")";
  }

  private static String excludedMessage(RemediationSettings settings) {
    return "excluded: the resource carries an exclusion tag ("
        + String.join(", ", settings.excludeTags())
        + ")";
  }

  private static boolean isAssumeRoleFailure(Throwable e) {
    for (var t = e; t != null; t = t.getCause()) {
      if (t instanceof StsException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(RuntimeException e) {
    return Redactor.redact(String.valueOf(e.getMessage()));
  }

  private FindingStatus.Remediation skip(
      Item item, RemediationSettings settings, Instant now, String message) {
    return record(item, settings, RemediationState.SKIPPED, null, null, null, now, message, 0);
  }

  private static FindingStatus.Remediation record(
      Item item,
      RemediationSettings settings,
      RemediationState state,
      String call,
      String before,
      String after,
      Instant now,
      String message,
      int failures) {
    var rule = item.result().rule().id();
    return new FindingStatus.Remediation(
        settings.mode(rule) == RemediationMode.APPLY ? "Apply" : "DryRun",
        RemediationCatalogue.forRule(rule).map(RemediationAction::id).orElse(null),
        state,
        redact(call),
        redact(before),
        redact(after),
        now.toString(),
        redact(message),
        failures == 0 ? null : failures);
  }

  private static String redact(String s) {
    return s == null ? null : Redactor.redact(s);
  }

  /**
   * Records {@code r} unless the finding already shows the same outcome (then its time stays and
   * nothing is written): true when it is new.
   */
  private static boolean put(
      Map<String, FindingStatus.Remediation> records, Item item, FindingStatus.Remediation r) {
    var p = item.previous();
    if (p != null
        && Objects.equals(p.mode(), r.mode())
        && Objects.equals(p.action(), r.action())
        && p.state() == r.state()
        && Objects.equals(p.call(), r.call())
        && Objects.equals(p.before(), r.before())
        && Objects.equals(p.message(), r.message())
        && Objects.equals(p.failures(), r.failures())) {
      return false;
    }
    records.put(item.findingName(), r);
    return true;
  }
}
