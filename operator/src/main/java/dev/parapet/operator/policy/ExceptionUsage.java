package dev.parapet.operator.policy;

import dev.parapet.webhook.policy.PolicyException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which exceptions (policy/name) waived a result: per account, in its last cloud scan, and in the
 * last cluster audit for workload exceptions. The PosturePolicy status reports those that waived
 * nothing, but only once the kind of result they can match has been evaluated at all.
 */
@ApplicationScoped
public class ExceptionUsage {

  private final Map<String, Set<String>> usedByScope = new ConcurrentHashMap<>();
  private volatile Set<String> usedByAudit;
  private final Map<String, Set<String>> usedByActivity = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** What is known about exception use. */
  public record Snapshot(Set<String> used, boolean cloudEvaluated, boolean workloadsEvaluated) {

    /**
     * True when {@code e} waived nothing in evaluations that could have used it; false when it was
     * used or when nothing it can match has been evaluated yet (unknown is not unused).
     */
    public boolean unused(PolicyException e) {
      if (used.contains(e.qualifiedName())) {
        return false;
      }
      return e.matchesWorkloads() ? workloadsEvaluated : cloudEvaluated;
    }
  }

  /** The exceptions used by the last scan of one account; listeners run when that changed. */
  public void record(String scope, Set<String> used) {
    var copy = Set.copyOf(used);
    if (!copy.equals(usedByScope.put(scope, copy))) {
      changed();
    }
  }

  public void forget(String scope) {
    if (usedByScope.remove(scope) != null | usedByActivity.remove(scope) != null) {
      changed();
    }
  }

  /**
   * The exceptions that suppress the activity findings of one account ({@code scope} is its
   * activity scope). They count as used; unlike a scan, this says nothing about the exceptions that
   * matched nothing (only a scan judges every cloud result).
   */
  public void recordActivity(String scope, Set<String> used) {
    var copy = Set.copyOf(used);
    var before = copy.isEmpty() ? usedByActivity.remove(scope) : usedByActivity.put(scope, copy);
    if (!copy.equals(before == null ? Set.of() : before)) {
      changed();
    }
  }

  /** The workload exceptions used by the last cluster audit; listeners run when that changed. */
  public void recordWorkloads(Set<String> used) {
    var copy = Set.copyOf(used);
    var changed = !copy.equals(usedByAudit);
    usedByAudit = copy;
    if (changed) {
      changed();
    }
  }

  /**
   * Runs when what is known about exception use changes: an account's first scan, a scan or an
   * audit that used other exceptions than the previous one, an account forgotten.
   */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }

  public Snapshot snapshot() {
    var all = new HashSet<String>();
    usedByScope.values().forEach(all::addAll);
    usedByActivity.values().forEach(all::addAll);
    var audit = usedByAudit;
    if (audit != null) {
      all.addAll(audit);
    }
    return new Snapshot(Set.copyOf(all), !usedByScope.isEmpty(), audit != null);
  }
}
