package dev.parapet.operator.reconcile;

import dev.parapet.api.v1alpha1.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Status conditions as every reconciler writes them. */
public final class Conditions {

  private Conditions() {}

  /** Sets lastTransitionTime and observedGeneration; the time only moves when status changes. */
  public static List<Condition> keepTransitionTimes(
      List<Condition> previous, List<Condition> next, long generation, Instant now) {
    var out = new ArrayList<Condition>();
    for (var c : next) {
      var prev =
          previous == null
              ? null
              : previous.stream().filter(p -> p.type().equals(c.type())).findFirst().orElse(null);
      var time =
          prev != null && prev.status().equals(c.status()) && prev.lastTransitionTime() != null
              ? prev.lastTransitionTime()
              : now.toString();
      out.add(new Condition(c.type(), c.status(), c.reason(), c.message(), time, generation));
    }
    return out;
  }
}
