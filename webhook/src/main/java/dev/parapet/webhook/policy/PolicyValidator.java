package dev.parapet.webhook.policy;

import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.Selector;
import dev.parapet.webhook.WorkloadEvaluator;
import dev.parapet.webhook.secrets.CustomDetector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The one validator of PosturePolicies, used by the operator (status Accepted; the policies it
 * merges and audits with), the webhook and the CLI. It checks what the CRD schema cannot: rule and
 * detector ids exist, port ranges are sane, custom detectors compile, exceptions have a reason, a
 * usable match (tags only where the rules' results carry tags) and a parseable expiry. It returns
 * every problem at once, each naming the exact field and the fix.
 *
 * <p>The webhook knows no cloud rules: built with {@link #withoutCloudRules()} it leaves cloud rule
 * ids unchecked (the operator's status reports them) and checks everything else alike.
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

  /** Cloud rule ids; null when unknown (the webhook). */
  private final Set<String> cloudRules;

  /** Cloud rule ids whose results name resources that carry tags. */
  private final Set<String> taggedCloudRules;

  private final Set<String> workloadRules;

  /**
   * @param cloudRules ids of the cloud rules; null leaves cloud rule ids unchecked
   * @param taggedCloudRules those of them whose results name resources that carry tags
   * @param workloadRules ids of the workload (admission) rules
   */
  public PolicyValidator(
      Collection<String> cloudRules,
      Collection<String> taggedCloudRules,
      Collection<String> workloadRules) {
    this.cloudRules = cloudRules == null ? null : new TreeSet<>(cloudRules);
    this.taggedCloudRules = taggedCloudRules == null ? Set.of() : new TreeSet<>(taggedCloudRules);
    this.workloadRules = new TreeSet<>(workloadRules);
  }

  /** The webhook's validator: its own workload rules; cloud rule ids left unchecked. */
  public static PolicyValidator withoutCloudRules() {
    return new PolicyValidator(
        null, null, WorkloadEvaluator.RULES.stream().map(r -> r.metadata().id()).toList());
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
      var field = "spec.exceptions[" + i + "]";
      if (exceptions.get(i) == null) {
        problems.add(new Problem(field, "must be an object"));
        continue;
      }
      validateException(field, exceptions.get(i), now, rejectPastExpiry, problems);
    }
    return problems;
  }

  private void validateCloud(PosturePolicySpec.Cloud cloud, List<Problem> problems) {
    selector("spec.cloud.accountSelector", cloud.accountSelector(), problems);
    if (cloud.rules() != null) {
      rulePatterns("spec.cloud.rules.include", cloud.rules().include(), true, problems);
      rulePatterns("spec.cloud.rules.exclude", cloud.rules().exclude(), true, problems);
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
        if (cloudRules != null && !cloudRules.contains(e.getKey())) {
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
      rulePatterns("spec.admission.rules.include", admission.rules().include(), false, problems);
      rulePatterns("spec.admission.rules.exclude", admission.rules().exclude(), false, problems);
    }
    if (admission.ruleEnforcement() != null) {
      for (var e : admission.ruleEnforcement().entrySet()) {
        var field = "spec.admission.ruleEnforcement." + e.getKey();
        if (!workloadRules.contains(e.getKey())) {
          problems.add(
              new Problem(field, "unknown workload rule id (known: " + workloadIds() + ")"));
        } else if (e.getValue() == null) {
          problems.add(new Problem(field, "must be Deny, Warn or Audit"));
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
      if (p == null || p.port() == null) {
        problems.add(new Problem(field + ".port", "required, an integer 1-65535"));
        continue;
      }
      if (p.port() < 1 || p.port() > 65535) {
        problems.add(new Problem(field + ".port", "must be 1-65535, got " + p.port()));
      } else if (p.endPort() != null && (p.endPort() < p.port() || p.endPort() > 65535)) {
        problems.add(
            new Problem(field + ".endPort", "must be between port (" + p.port() + ") and 65535"));
      }
      if (p.protocol() != null && !PROTOCOLS.contains(p.protocol())) {
        problems.add(new Problem(field + ".protocol", "must be TCP, UDP or SCTP"));
      }
    }
    var creds = admission.credentials();
    if (creds != null) {
      if (creds.detectors() != null) {
        var all = AdmissionPolicy.allDetectorIds();
        for (int i = 0; i < creds.detectors().size(); i++) {
          var id = creds.detectors().get(i);
          if (!all.contains(id)) {
            problems.add(
                new Problem(
                    "spec.admission.credentials.detectors[" + i + "]",
                    "unknown detector \"" + id + "\" (known: " + all + ")"));
          }
        }
      }
      if (creds.scan() != null && creds.scan().contains(null)) {
        problems.add(
            new Problem(
                "spec.admission.credentials.scan", "must be env, args, configMaps or annotations"));
      }
      customDetectors(creds.customDetectors(), problems);
    }
  }

  /** Every custom detector must compile, under a name used once. */
  private static void customDetectors(
      List<PosturePolicySpec.CustomDetector> defs, List<Problem> problems) {
    if (defs == null) {
      return;
    }
    var names = new HashSet<String>();
    for (int i = 0; i < defs.size(); i++) {
      var field = "spec.admission.credentials.customDetectors[" + i + "]";
      var def = defs.get(i);
      if (def == null) {
        problems.add(new Problem(field, "must be an object"));
        continue;
      }
      try {
        var d =
            CustomDetector.of(
                def.name(), def.keywords(), def.regex(), def.minEntropy(), def.severity());
        if (!names.add(d.name())) {
          problems.add(new Problem(field, "name \"" + d.name() + "\" is used twice"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(field, e.getMessage()));
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
      problems.add(new Problem(field + ".reason", "required"));
    }
    if (e.match() == null || isEmpty(e.match())) {
      problems.add(
          new Problem(
              field + ".match",
              "must name at least one of accounts, regions, resourceArns, tags, namespaces, names,"
                  + " labels; an exception must not match everything"));
    }
    if (e.rules() != null && cloudRules != null) {
      for (int j = 0; j < e.rules().size(); j++) {
        var pattern = e.rules().get(j);
        if (pattern == null || allRules().noneMatch(id -> RulePatterns.matchesRule(pattern, id))) {
          problems.add(
              new Problem(
                  field + ".rules[" + j + "]", "matches no known rule; " + suggestion(pattern)));
        }
      }
    }
    untaggedTagMatch(field, e, problems);
    if (e.expiresAt() != null) {
      var expires = PolicyException.parseTime(e.expiresAt());
      if (expires.isEmpty()) {
        problems.add(
            new Problem(
                field + ".expiresAt", "must be an RFC 3339 time such as 2026-12-31T00:00:00Z"));
      } else if (rejectPastExpiry && !expires.get().isAfter(now)) {
        problems.add(
            new Problem(
                field + ".expiresAt",
                e.expiresAt()
                    + " is in the past; set a future RFC 3339 time or remove the exception"));
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
    if (cloudRules == null
        || e.match() == null
        || e.match().tags() == null
        || e.match().tags().isEmpty()) {
      return;
    }
    var covered =
        cloudRules.stream().filter(id -> RulePatterns.anyMatchesRule(e.rules(), id)).toList();
    if (covered.isEmpty() || covered.stream().anyMatch(taggedCloudRules::contains)) {
      return;
    }
    problems.add(
        new Problem(
            field + ".match.tags",
            "can never match: "
                + (covered.size() == 1 ? "rule " : "rules ")
                + String.join(", ", covered)
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
      if (r.key() == null || r.key().isEmpty()) {
        problems.add(new Problem(f + ".key", "required"));
      }
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
      String field, List<String> patterns, boolean cloud, List<Problem> problems) {
    if (patterns == null || (cloud && cloudRules == null)) {
      return;
    }
    var known = cloud ? cloudRules : workloadRules;
    for (int i = 0; i < patterns.size(); i++) {
      var p = patterns.get(i);
      if (p == null || known.stream().noneMatch(id -> RulePatterns.matchesRule(p, id))) {
        problems.add(
            new Problem(
                field + "[" + i + "]",
                "'"
                    + p
                    + "' matches no known "
                    + (cloud ? "cloud" : "workload")
                    + " rule; "
                    + (cloud ? suggestion(p) : "known: " + workloadIds())));
      }
    }
  }

  /** The workload rule ids, in the webhook's order. */
  private List<String> workloadIds() {
    var order = WorkloadEvaluator.RULES.stream().map(r -> r.metadata().id()).toList();
    var sorted =
        workloadRules.stream()
            .sorted(
                java.util.Comparator.comparingInt(
                        (String id) -> order.indexOf(id) < 0 ? order.size() : order.indexOf(id))
                    .thenComparing(id -> id))
            .toList();
    // The Pod Security Standards controls are named by prefix and count, not one by one.
    var out = new java.util.ArrayList<String>();
    for (var prefix : List.of("pss-baseline-", "pss-restricted-")) {
      long n = sorted.stream().filter(id -> id.startsWith(prefix)).count();
      if (n > 0) {
        out.add(prefix + "* (" + n + " rules)");
      }
    }
    var plain =
        new java.util.ArrayList<>(sorted.stream().filter(id -> !id.startsWith("pss-")).toList());
    plain.addAll(out);
    return plain;
  }

  private Stream<String> allRules() {
    return Stream.concat(
        cloudRules == null ? Stream.empty() : cloudRules.stream(), workloadRules.stream());
  }

  private String suggestion(String bad) {
    if (bad != null && !bad.isEmpty()) {
      var best =
          allRules()
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
