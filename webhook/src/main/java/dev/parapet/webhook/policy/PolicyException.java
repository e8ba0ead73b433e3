package dev.parapet.webhook.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An exception: rules it waives (empty = all) for objects matching every given criterion
 * (namespaces, names with {@code *} globs, labels), with a reason, an owner and an optional expiry.
 * An exception with no workload criterion (e.g. only AWS accounts) never matches a workload.
 */
public record PolicyException(
    Set<String> rules,
    Set<String> namespaces,
    List<String> names,
    Map<String, String> labels,
    String reason,
    String owner,
    Instant expiresAt) {

  public PolicyException {
    rules = Set.copyOf(rules);
    namespaces = Set.copyOf(namespaces);
    names = List.copyOf(names);
    labels = Map.copyOf(labels);
  }

  public boolean activeAt(Instant now) {
    return expiresAt == null || now.isBefore(expiresAt);
  }

  public boolean matches(
      String ruleId, String namespace, String name, Map<String, String> objectLabels) {
    if (namespaces.isEmpty() && names.isEmpty() && labels.isEmpty()) {
      return false;
    }
    if (!rules.isEmpty() && !rules.contains(ruleId)) {
      return false;
    }
    if (!namespaces.isEmpty() && !namespaces.contains(namespace)) {
      return false;
    }
    if (!names.isEmpty() && names.stream().noneMatch(g -> glob(g, name == null ? "" : name))) {
      return false;
    }
    for (var e : labels.entrySet()) {
      if (!e.getValue().equals(objectLabels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  static boolean glob(String pattern, String s) {
    int star = pattern.indexOf('*');
    if (star < 0) {
      return pattern.equals(s);
    }
    var parts = pattern.split("\\*", -1);
    int at = 0;
    for (int i = 0; i < parts.length; i++) {
      var p = parts[i];
      if (i == 0) {
        if (!s.startsWith(p)) {
          return false;
        }
        at = p.length();
      } else if (i == parts.length - 1) {
        return s.length() - p.length() >= at && s.endsWith(p);
      } else {
        int idx = s.indexOf(p, at);
        if (idx < 0) {
          return false;
        }
        at = idx + p.length();
      }
    }
    return true;
  }
}
