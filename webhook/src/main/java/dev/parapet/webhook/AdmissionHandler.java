package dev.parapet.webhook;

import dev.parapet.webhook.budget.Deadline;
import dev.parapet.webhook.policy.PolicySet;
import dev.parapet.webhook.rules.NotFullyCheckedRule;
import dev.parapet.webhook.secrets.Redactor;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Turns AdmissionReview bytes into a response: {@link RequestParser parse}, {@link
 * AdmissionDecision decide}, {@link AdmissionResponses write}, and tell the {@link Listener}. No
 * I/O beyond the in-memory policy and namespace caches it is given; never throws for bad input. A
 * body that is not an AdmissionReview with a usable uid gets a 4xx that says why; a request whose
 * uid is known always gets an AdmissionReview response echoing it (see {@link
 * AdmissionResponses#unevaluated}). Reasons never quote request content except short tokens that no
 * credential detector matches.
 */
public final class AdmissionHandler {
  private static final Logger LOG = Logger.getLogger(AdmissionHandler.class);

  /** An HTTP status and JSON body, plus the labels the metrics need. */
  public record Result(int status, byte[] body, String kind, String decision) {}

  /** Receives every decision: metrics and audit logging hang here, off the decision logic. */
  public interface Listener {
    void decided(String kind, String decision, List<Violation> counted, long nanos);
  }

  private final RequestParser parser;
  private final AdmissionDecision decision;
  private final Listener listener;
  private final long budgetMillis;
  private final LongSupplier nanoTime;

  /** A handler without a deadline (tests and tools). */
  public AdmissionHandler(
      Supplier<PolicySet> policies,
      Function<String, Map<String, String>> namespaceLabels,
      String ownNamespace,
      int maxRequestBytes,
      Listener listener,
      Clock clock) {
    this(
        policies,
        namespaceLabels,
        ownNamespace,
        maxRequestBytes,
        listener,
        clock,
        Long.MAX_VALUE,
        System::nanoTime);
  }

  /**
   * @param budgetMillis time one review may take from its arrival (parse included); when the
   *     evaluation cannot finish within it, the object is reported not fully checked (see {@link
   *     NotFullyCheckedRule})
   * @param nanoTime the clock of the budget ({@link System#nanoTime} outside tests)
   */
  public AdmissionHandler(
      Supplier<PolicySet> policies,
      Function<String, Map<String, String>> namespaceLabels,
      String ownNamespace,
      int maxRequestBytes,
      Listener listener,
      Clock clock,
      long budgetMillis,
      LongSupplier nanoTime) {
    this.parser = new RequestParser(maxRequestBytes);
    this.decision = new AdmissionDecision(policies, namespaceLabels, ownNamespace, clock);
    this.listener = listener;
    this.budgetMillis = budgetMillis;
    this.nanoTime = nanoTime;
  }

  /** {@code POST /validate}. */
  public Result validate(byte[] body) {
    long t0 = System.nanoTime();
    var deadline =
        budgetMillis == Long.MAX_VALUE
            ? Deadline.NONE
            : Deadline.of(budgetMillis, nanoTime.getAsLong(), nanoTime);
    Result r;
    List<Violation> counted = List.of();
    RequestParser.Parsed p = null;
    try {
      p = parser.parse(body);
      if (p.object() == null) {
        r = AdmissionResponses.allowed(p.uid(), p.kind(), "skipped");
      } else {
        var outcome = decision.decide(p, deadline);
        r = AdmissionResponses.decided(p.uid(), p.kind(), outcome);
        counted = outcome.counted();
        if (!outcome.active().isEmpty() && LOG.isInfoEnabled()) {
          // Built only when the line is logged (the category may be at WARN).
          LOG.infof(
              "admission %s %s uid=%s: %s",
              outcome.decision(),
              WorkloadReview.of(p.object()).describe(),
              RequestParser.safe(p.uid()),
              logSummary(outcome.active()));
        }
      }
    } catch (RequestParser.Rejected e) {
      LOG.infof(
          "admission request rejected (%d)%s: %s",
          e.status,
          e.uid == null ? "" : " uid=" + RequestParser.safe(e.uid),
          Redactor.redact(e.getMessage()));
      r =
          e.uid == null
              ? AdmissionResponses.error(e.status, e.getMessage())
              : unevaluated(e.uid, e.kind, e.namespace, e.status, e.getMessage());
    } catch (RuntimeException e) {
      // A rule bug must not turn into an HTTP 500 the apiserver retries: log the type and answer
      // for the request (its uid is known once it parsed), else 400.
      LOG.errorf("admission request could not be evaluated: %s", e.getClass().getName());
      var reason = "request could not be evaluated (" + e.getClass().getSimpleName() + ")";
      r =
          p == null
              ? AdmissionResponses.error(400, reason)
              : unevaluated(p.uid(), p.kind(), p.namespace(), 500, reason);
    }
    listener.decided(r.kind(), r.decision(), counted, System.nanoTime() - t0);
    return r;
  }

  /**
   * {@code POST /validate-noop}: the benchmark baseline. Parses exactly like {@link #validate}
   * (including the typed object) and answers allowed; checks nothing.
   */
  public Result noop(byte[] body) {
    try {
      var p = parser.parse(body);
      return AdmissionResponses.allowed(p.uid(), p.kind(), "noop");
    } catch (RequestParser.Rejected e) {
      return AdmissionResponses.error(e.status, e.getMessage());
    } catch (RuntimeException e) {
      return AdmissionResponses.error(
          400, "request could not be parsed (" + e.getClass().getSimpleName() + ")");
    }
  }

  private Result unevaluated(String uid, String kind, String namespace, int code, String reason) {
    AdmissionDecision.Unevaluated what;
    try {
      what = decision.unevaluated(namespace);
    } catch (RuntimeException e) {
      LOG.errorf("admission policies could not be selected: %s", e.getClass().getName());
      return AdmissionResponses.error(400, reason);
    }
    return AdmissionResponses.unevaluated(uid, kind, what, code, reason);
  }

  /** At most this many violations are written in one log line, then "and N more". */
  static final int MAX_LOG_VIOLATIONS = 10;

  /** Longest log line summary, in chars. */
  static final int MAX_LOG_CHARS = 4096;

  /**
   * The violations of a decision as logged: at most {@link #MAX_LOG_VIOLATIONS} messages and {@link
   * #MAX_LOG_CHARS} chars, then "and N more violation(s)"; the metrics count them all. Redacted.
   */
  static String logSummary(List<Violation> active) {
    var sb = new StringBuilder();
    int shown = 0;
    for (var v : active) {
      var m = v.message();
      if (shown == MAX_LOG_VIOLATIONS || sb.length() + m.length() + 3 > MAX_LOG_CHARS - 64) {
        break;
      }
      if (shown > 0) {
        sb.append(" | ");
      }
      sb.append(m);
      shown++;
    }
    if (shown < active.size()) {
      if (shown == 0) {
        var m = active.get(0).message();
        sb.append(m, 0, Math.min(m.length(), MAX_LOG_CHARS - 64)).append('…');
        shown = 1;
      }
      if (shown < active.size()) {
        sb.append(" | and ").append(active.size() - shown).append(" more violation(s)");
      }
    }
    var out = Redactor.redact(sb.toString());
    return out.length() <= MAX_LOG_CHARS ? out : out.substring(0, MAX_LOG_CHARS - 1) + "…";
  }
}
