package dev.parapet.webhook.policy;

import java.util.List;
import java.util.Map;

/** A Kubernetes label selector over namespace labels; an empty selector selects every namespace. */
public record NamespaceSelector(Map<String, String> matchLabels, List<Requirement> expressions) {
  public static final NamespaceSelector ALL = new NamespaceSelector(Map.of(), List.of());

  /** One {@code matchExpressions} entry: operator In, NotIn, Exists or DoesNotExist. */
  public record Requirement(String key, String operator, List<String> values) {}

  public NamespaceSelector {
    matchLabels = Map.copyOf(matchLabels);
    expressions = List.copyOf(expressions);
  }

  public boolean matches(Map<String, String> labels) {
    for (var e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (var r : expressions) {
      var v = labels.get(r.key());
      boolean ok =
          switch (r.operator()) {
            case "In" -> v != null && r.values().contains(v);
            case "NotIn" -> v == null || !r.values().contains(v);
            case "Exists" -> labels.containsKey(r.key());
            case "DoesNotExist" -> !labels.containsKey(r.key());
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
