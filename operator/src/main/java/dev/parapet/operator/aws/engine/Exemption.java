package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.rules.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A policy exception: FAIL results it matches are reported as suppressed, not dropped. Empty
 * criteria match everything; non-empty ones must all match. {@code rules}, {@code regions} and
 * {@code resourceArns} accept globs ({@code *}, {@code ?}); {@code tags} must all be present with
 * equal values. {@code reason} is required; past {@code expiresAt} the exemption stops matching.
 */
public record Exemption(
    String name,
    List<String> rules,
    List<String> accounts,
    List<String> regions,
    List<String> resourceArns,
    Map<String, String> tags,
    String reason,
    Instant expiresAt) {

  public Exemption {
    rules = rules == null ? List.of() : List.copyOf(rules);
    accounts = accounts == null ? List.of() : List.copyOf(accounts);
    regions = regions == null ? List.of() : List.copyOf(regions);
    resourceArns = resourceArns == null ? List.of() : List.copyOf(resourceArns);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  /** Problems that make this exemption invalid, each naming the field; empty when valid. */
  public List<String> validate(String path) {
    var errors = new ArrayList<String>();
    if (name == null || name.isBlank()) {
      errors.add(path + ".name: required");
    }
    if (reason == null || reason.isBlank()) {
      errors.add(path + ".reason: required (say why this risk is accepted)");
    }
    for (var a : accounts) {
      if (a == null || !a.matches("\\d{12}|\\*")) {
        errors.add(path + ".accounts: '" + a + "' is not a 12-digit account id");
      }
    }
    return errors;
  }

  /** True when {@code rules} is empty or one of its globs matches the rule id. */
  public boolean coversRule(String ruleId) {
    return anyGlob(rules, ruleId);
  }

  public boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /**
   * True when the exemption covers this FAIL of {@code ruleId} on {@code resource} at {@code now}.
   */
  public boolean matches(String ruleId, Resource resource, Instant now) {
    if (expired(now)) {
      return false;
    }
    return anyGlob(rules, ruleId)
        && (accounts.isEmpty() || accounts.contains("*") || accounts.contains(resource.accountId()))
        && anyGlob(regions, resource.region())
        && anyGlob(resourceArns, resource.arn())
        && tags.entrySet().stream()
            .allMatch(t -> t.getValue().equals(resource.tags().get(t.getKey())));
  }

  private static boolean anyGlob(List<String> globs, String value) {
    if (globs.isEmpty()) {
      return true;
    }
    return value != null && globs.stream().anyMatch(g -> glob(g).matcher(value).matches());
  }

  static Pattern glob(String glob) {
    var regex = new StringBuilder();
    for (var part : glob.split("(?=[*?])|(?<=[*?])")) {
      switch (part) {
        case "*" -> regex.append(".*");
        case "?" -> regex.append('.');
        default -> regex.append(Pattern.quote(part));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
