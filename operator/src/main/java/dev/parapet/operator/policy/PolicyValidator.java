package dev.parapet.operator.policy;

import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.Selector;
import dev.parapet.operator.scan.RuleInfo;
import dev.parapet.webhook.policy.RulePatterns;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what the CRD schema cannot: rule ids exist, port ranges are sane, exceptions have a
 * reason, a usable match (tags only where the rules' results carry tags) and a parseable expiry.
 * Each problem names the exact field and the fix.
 */
public final class PolicyValidator {

  /** One invalid field and how to fix it. */
  public record Problem(String field, String message) {
    @Override
    public String toString() {
      return field + ": " + message;
    }
  }

  private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

  private final Collection<RuleInfo> rules;

  public PolicyValidator(Collection<RuleInfo> rules) {
    this.rules = rules;
  }

  /**
   * Validates a spec. {@code rejectPastExpiry} is true for a generation not seen before: an
   * exception written with an expiry already in the past is a mistake, while one that expires later
   * only moves to status.expiredExceptions.
   */
  public List<Problem> validate(PosturePolicySpec spec, Instant now, boolean rejectPastExpiry) {
    var problems = new ArrayList<Problem>();
    if (spec == null) {
      problems.add(new Problem("spec", "is missing; set at least one of cloud, admission"));
      return problems;
    }
    if (spec.cloud() != null) {
      validateCloud(spec.cloud(), problems);
    }
    if (spec.admission() != null) {
      validateAdmission(spec.admission(), problems);
    }
    var exceptions =
        spec.exceptions() == null
            ? List.<PosturePolicySpec.PolicyException>of()
            : spec.exceptions();
    for (int i = 0; i < exceptions.size(); i++) {
      validateException(
          "spec.exceptions[" + i + "]", exceptions.get(i), now, rejectPastExpiry, problems);
    }
    return problems;
  }

  private void validateCloud(PosturePolicySpec.Cloud cloud, List<Problem> problems) {
    selector("spec.cloud.accountSelector", cloud.accountSelector(), problems);
    if (cloud.rules() != null) {
      rulePatterns(
          "spec.cloud.rules.include", cloud.rules().include(), FindingSpec.Source.AWS, problems);
      rulePatterns(
          "spec.cloud.rules.exclude", cloud.rules().exclude(), FindingSpec.Source.AWS, problems);
    }
    if (cloud.frameworks() != null) {
      for (int i = 0; i < cloud.frameworks().size(); i++) {
        if (cloud.frameworks().get(i) == null) {
          problems.add(
              new Problem(
                  "spec.cloud.frameworks[" + i + "]",
                  "unknown framework; use one of cis-aws, aws-fsbp"));
        }
      }
    }
    if (cloud.severityOverrides() != null) {
      for (Map.Entry<String, ?> e : cloud.severityOverrides().entrySet()) {
        var field = "spec.cloud.severityOverrides." + e.getKey();
        if (!known(e.getKey(), FindingSpec.Source.AWS)) {
          problems.add(new Problem(field, "unknown cloud rule id; " + suggestion(e.getKey())));
        } else if (e.getValue() == null) {
          problems.add(
              new Problem(
                  field, "missing severity; use critical, high, medium, low or informational"));
        }
      }
    }
    var params = cloud.parameters();
    if (params != null && params.sensitivePorts() != null) {
      for (int i = 0; i < params.sensitivePorts().size(); i++) {
        var port = params.sensitivePorts().get(i);
        if (port == null || port < 1 || port > 65535) {
          problems.add(
              new Problem(
                  "spec.cloud.parameters.sensitivePorts[" + i + "]",
                  "port " + port + " is out of range; use 1-65535"));
        }
      }
    }
  }

  private void validateAdmission(PosturePolicySpec.Admission admission, List<Problem> problems) {
    selector("spec.admission.namespaceSelector", admission.namespaceSelector(), problems);
    if (admission.rules() != null) {
      rulePatterns(
          "spec.admission.rules.include",
          admission.rules().include(),
          FindingSpec.Source.KUBERNETES,
          problems);
      rulePatterns(
          "spec.admission.rules.exclude",
          admission.rules().exclude(),
          FindingSpec.Source.KUBERNETES,
          problems);
    }
    if (admission.ruleEnforcement() != null) {
      for (var id : admission.ruleEnforcement().keySet()) {
        if (!known(id, FindingSpec.Source.KUBERNETES)) {
          problems.add(
              new Problem(
                  "spec.admission.ruleEnforcement." + id,
                  "unknown workload rule id; " + suggestion(id)));
        }
      }
    }
    var ports =
        admission.forbiddenPorts() == null
            ? List.<PosturePolicySpec.PortRule>of()
            : admission.forbiddenPorts();
    for (int i = 0; i < ports.size(); i++) {
      var p = ports.get(i);
      var field = "spec.admission.forbiddenPorts[" + i + "]";
      if (p.port() == null || p.port() < 1 || p.port() > 65535) {
        problems.add(
            new Problem(field + ".port", "port " + p.port() + " is out of range; use 1-65535"));
      } else if (p.endPort() != null && (p.endPort() < p.port() || p.endPort() > 65535)) {
        problems.add(
            new Problem(
                field + ".endPort",
                "range "
                    + p.port()
                    + "-"
                    + p.endPort()
                    + " is invalid; endPort must be between port and 65535"));
      }
      if (p.protocol() != null && !PROTOCOLS.contains(p.protocol())) {
        problems.add(
            new Problem(
                field + ".protocol",
                "unknown protocol " + p.protocol() + "; use TCP, UDP or SCTP, or omit it"));
      }
    }
  }

  private void validateException(
      String field,
      PosturePolicySpec.PolicyException e,
      Instant now,
      boolean rejectPastExpiry,
      List<Problem> problems) {
    if (e.reason() == null || e.reason().isBlank()) {
      problems.add(new Problem(field + ".reason", "is required; say why the risk is accepted"));
    }
    if (e.match() == null || isEmpty(e.match())) {
      problems.add(
          new Problem(
              field + ".match",
              "must name at least one of accounts, regions, resourceArns, tags, namespaces, names, labels; an exception must not match everything"));
    }
    if (e.rules() != null) {
      for (int j = 0; j < e.rules().size(); j++) {
        var pattern = e.rules().get(j);
        if (pattern == null
            || rules.stream().noneMatch(r -> RulePatterns.matchesRule(pattern, r.id()))) {
          problems.add(
              new Problem(
                  field + ".rules[" + j + "]", "matches no known rule; " + suggestion(pattern)));
        }
      }
    }
    untaggedTagMatch(field, e, problems);
    if (e.expiresAt() != null) {
      try {
        var expires = OffsetDateTime.parse(e.expiresAt()).toInstant();
        if (rejectPastExpiry && !expires.isAfter(now)) {
          problems.add(
              new Problem(
                  field + ".expiresAt",
                  e.expiresAt()
                      + " is in the past; set a future RFC 3339 time or remove the exception"));
        }
      } catch (DateTimeParseException ex) {
        problems.add(
            new Problem(
                field + ".expiresAt",
                "'"
                    + e.expiresAt()
                    + "' is not an RFC 3339 time; write e.g. 2030-01-31T00:00:00Z"));
      }
    }
  }

  /**
   * An exception with {@code match.tags} whose rules all judge account-level settings can never
   * match: those results carry no tags (only resources such as instances, buckets, users, keys and
   * trails do).
   */
  private void untaggedTagMatch(
      String field, PosturePolicySpec.PolicyException e, List<Problem> problems) {
    if (e.match() == null || e.match().tags() == null || e.match().tags().isEmpty()) {
      return;
    }
    var cloudRules =
        rules.stream()
            .filter(r -> r.source() == FindingSpec.Source.AWS)
            .filter(r -> RulePatterns.anyMatchesRule(e.rules(), r.id()))
            .toList();
    if (cloudRules.isEmpty() || cloudRules.stream().anyMatch(RuleInfo::resourcesTagged)) {
      return;
    }
    var ids = cloudRules.stream().map(RuleInfo::id).sorted().toList();
    problems.add(
        new Problem(
            field + ".match.tags",
            "can never match: "
                + (ids.size() == 1 ? "rule " : "rules ")
                + String.join(", ", ids)
                + " judge account-level settings, whose results carry no tags; remove"
                + " match.tags and match by accounts or regions instead"));
  }

  private void selector(String field, Selector selector, List<Problem> problems) {
    if (selector == null || selector.matchExpressions() == null) {
      return;
    }
    for (int i = 0; i < selector.matchExpressions().size(); i++) {
      var r = selector.matchExpressions().get(i);
      var f = field + ".matchExpressions[" + i + "]";
      var values = r.values() == null ? List.<String>of() : r.values();
      switch (r.operator() == null ? "" : r.operator()) {
        case "In", "NotIn" -> {
          if (values.isEmpty()) {
            problems.add(new Problem(f + ".values", "must not be empty for " + r.operator()));
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (!values.isEmpty()) {
            problems.add(new Problem(f + ".values", "must be empty for " + r.operator()));
          }
        }
        default ->
            problems.add(
                new Problem(f + ".operator", "use one of In, NotIn, Exists, DoesNotExist"));
      }
    }
  }

  private void rulePatterns(
      String field, List<String> patterns, FindingSpec.Source source, List<Problem> problems) {
    if (patterns == null) {
      return;
    }
    for (int i = 0; i < patterns.size(); i++) {
      var p = patterns.get(i);
      if (p == null
          || rules.stream()
              .noneMatch(r -> r.source() == source && RulePatterns.matchesRule(p, r.id()))) {
        problems.add(
            new Problem(
                field + "[" + i + "]",
                "'"
                    + p
                    + "' matches no known "
                    + (source == FindingSpec.Source.AWS ? "cloud" : "workload")
                    + " rule; "
                    + suggestion(p)));
      }
    }
  }

  private boolean known(String id, FindingSpec.Source source) {
    return rules.stream().anyMatch(r -> r.source() == source && r.id().equals(id));
  }

  private String suggestion(String bad) {
    if (bad != null && !bad.isEmpty()) {
      var best =
          rules.stream()
              .map(RuleInfo::id)
              .min(
                  java.util.Comparator.comparingInt((String id) -> distance(bad, id))
                      .thenComparing(id -> id));
      if (best.isPresent() && distance(bad, best.get()) <= Math.max(3, bad.length() / 3)) {
        return "did you mean " + best.get() + "?";
      }
    }
    return "valid ids are listed in status.enabledRules of an accepted policy";
  }

  /** Levenshtein distance, for "did you mean". */
  static int distance(String a, String b) {
    var prev = new int[b.length() + 1];
    var cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        var cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      var t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static boolean isEmpty(PosturePolicySpec.Match m) {
    return empty(m.accounts())
        && empty(m.regions())
        && empty(m.resourceArns())
        && (m.tags() == null || m.tags().isEmpty())
        && empty(m.namespaces())
        && empty(m.names())
        && (m.labels() == null || m.labels().isEmpty());
  }

  private static boolean empty(List<?> l) {
    return l == null || l.isEmpty();
  }
}
