package dev.parapet.operator.aws.inventory;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed IAM or resource policy: its statements with single values normalised to lists.
 * Principals are flattened to their values ({@code "*"} for {@code "Principal": "*"}); conditions
 * are operator to key to values, as written.
 */
public record PolicyDocument(List<Statement> statements) {

  public PolicyDocument {
    statements = List.copyOf(statements);
  }

  /** One statement. */
  public record Statement(
      String sid,
      String effect,
      List<String> principals,
      List<String> actions,
      List<String> notActions,
      List<String> resources,
      List<String> notResources,
      Map<String, Map<String, List<String>>> conditions) {

    public Statement {
      sid = sid == null ? "" : sid;
      principals = List.copyOf(principals);
      actions = List.copyOf(actions);
      notActions = List.copyOf(notActions);
      resources = List.copyOf(resources);
      notResources = List.copyOf(notResources);
      conditions = Map.copyOf(conditions);
    }

    public boolean allows() {
      return "Allow".equalsIgnoreCase(effect);
    }

    public boolean denies() {
      return "Deny".equalsIgnoreCase(effect);
    }

    /** The values of a condition key under an operator (key compared case-insensitively). */
    public List<String> condition(String operator, String key) {
      var byKey = conditions.get(operator);
      if (byKey == null) {
        return List.of();
      }
      for (var e : byKey.entrySet()) {
        if (e.getKey().toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
          return e.getValue();
        }
      }
      return List.of();
    }
  }
}
