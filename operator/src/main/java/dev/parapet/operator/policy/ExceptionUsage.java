package dev.parapet.operator.policy;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which exceptions (policy/name) matched a result in the last scan of each scope; the PosturePolicy
 * status reports those that matched nothing.
 */
@ApplicationScoped
public class ExceptionUsage {

  private final Map<String, Set<String>> usedByScope = new ConcurrentHashMap<>();

  public void record(String scope, Set<String> used) {
    usedByScope.put(scope, Set.copyOf(used));
  }

  public void forget(String scope) {
    usedByScope.remove(scope);
  }

  /** Exceptions used by any scope, or empty when no scan has finished yet. */
  public Optional<Set<String>> used() {
    if (usedByScope.isEmpty()) {
      return Optional.empty();
    }
    var all = new java.util.HashSet<String>();
    usedByScope.values().forEach(all::addAll);
    return Optional.of(all);
  }
}
