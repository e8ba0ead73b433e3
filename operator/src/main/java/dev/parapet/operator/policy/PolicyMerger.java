package dev.parapet.operator.policy;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.policy.PolicyException;
import dev.parapet.webhook.policy.PolicyValidator;
import dev.parapet.webhook.policy.RulePatterns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges the accepted PosturePolicies that select an account into one {@link EffectivePolicy}. The
 * rule is "the strictest wins":
 *
 * <ul>
 *   <li>a policy applies to an account when it has a {@code cloud} part whose accountSelector
 *       matches the account's labels; when none applies, every cloud rule runs with defaults;
 *   <li>enabled rules: the union of what each applying policy enables;
 *   <li>severity of a rule: the most severe of what the applying policies that enable it assign (an
 *       override, or the rule's default) — lowering a severity needs every such policy to agree;
 *   <li>parameters: sensitivePorts is the union; maxAccessKeyAgeDays and unusedCredentialDays the
 *       minimum; includeUnusedSecurityGroups is true if any policy sets it;
 *   <li>exceptions: every unexpired exception of every accepted policy, each scoped by its own
 *       {@code match}; policies are taken in name order, so the first match is deterministic.
 * </ul>
 *
 * <p>The account's own service scope ({@code spec.scan.services}) then narrows the enabled rules:
 * {@link EffectivePolicy#within}.
 */
public final class PolicyMerger {

  private PolicyMerger() {}

  /** The one policy validator, knowing the catalog's cloud and workload rules. */
  public static PolicyValidator validator(Collection<RuleMetadata> catalog) {
    var cloud = catalog.stream().filter(r -> r.source() == RuleMetadata.Source.AWS).toList();
    return new PolicyValidator(
        cloud.stream().map(RuleMetadata::id).toList(),
        cloud.stream().filter(RuleMetadata::resourcesTagged).map(RuleMetadata::id).toList(),
        catalog.stream()
            .filter(r -> r.source() == RuleMetadata.Source.KUBERNETES)
            .map(RuleMetadata::id)
            .toList());
  }

  /**
   * The policies of {@code all} that are valid now and not marked Accepted=False for their current
   * generation: those that take part in merging, in the audit and in the webhook's decisions.
   */
  public static List<PosturePolicy> accepted(
      Collection<PosturePolicy> all, Collection<RuleMetadata> catalog, Instant now) {
    var validator = validator(catalog);
    return all.stream()
        .filter(p -> validator.validate(p.getSpec(), now, false).isEmpty())
        .filter(p -> !rejected(p))
        .toList();
  }

  /**
   * The merged policy for an account from every policy in the cluster ({@code all}; the accepted
   * ones count), narrowed to the account's service scope. Callers check {@code scope().valid()}
   * before scanning with it.
   */
  public static EffectivePolicy effectiveFor(
      Collection<PosturePolicy> all,
      CloudAccount account,
      Collection<RuleMetadata> catalog,
      Instant now) {
    return merge(accepted(all, catalog, now), account.getMetadata().getLabels(), catalog, now)
        .within(ServiceScope.of(account.getSpec()), catalog);
  }

  private static boolean rejected(PosturePolicy p) {
    var s = p.getStatus();
    if (s == null || s.conditions() == null) {
      return false;
    }
    return s.conditions().stream()
        .anyMatch(
            c ->
                PosturePolicyReconciler.ACCEPTED.equals(c.type())
                    && Condition.FALSE.equals(c.status())
                    && Objects.equals(c.observedGeneration(), p.getMetadata().getGeneration()));
  }

  /** Merges {@code policies} (already validated and accepted) for an account. */
  public static EffectivePolicy merge(
      Collection<PosturePolicy> policies,
      Map<String, String> accountLabels,
      Collection<RuleMetadata> catalog,
      Instant now) {
    var cloudRules = catalog.stream().filter(r -> r.source() == RuleMetadata.Source.AWS).toList();
    var sorted =
        policies.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    var applying = new ArrayList<String>();
    var enabled = new TreeSet<String>();
    var severities = new TreeMap<String, Severity>();
    var ports = new TreeSet<Integer>();
    Integer maxKeyAge = null;
    Integer unusedDays = null;
    var unusedGroups = false;
    for (var p : sorted) {
      var cloud = p.getSpec() == null ? null : p.getSpec().cloud();
      if (cloud == null
          || (cloud.accountSelector() != null && !cloud.accountSelector().matches(accountLabels))) {
        continue;
      }
      applying.add(p.getMetadata().getName());
      for (var rule : selectRules(cloud, cloudRules)) {
        enabled.add(rule.id());
        var override =
            cloud.severityOverrides() == null ? null : cloud.severityOverrides().get(rule.id());
        var sev = override != null ? override : rule.severity();
        severities.merge(rule.id(), sev, (a, b) -> a.atLeast(b) ? a : b);
      }
      var params = cloud.parameters();
      if (params != null) {
        if (params.sensitivePorts() != null) {
          ports.addAll(params.sensitivePorts());
        }
        maxKeyAge = min(maxKeyAge, params.maxAccessKeyAgeDays());
        unusedDays = min(unusedDays, params.unusedCredentialDays());
        unusedGroups |= Boolean.TRUE.equals(params.includeUnusedSecurityGroups());
      }
    }
    if (applying.isEmpty()) {
      cloudRules.forEach(
          r -> {
            enabled.add(r.id());
            severities.put(r.id(), r.severity());
          });
    }
    var exceptions = activeExceptions(sorted, now);
    var nextExpiry =
        exceptions.stream()
            .map(PolicyException::expiresAt)
            .filter(e -> e != null)
            .min(Comparator.naturalOrder());
    return new EffectivePolicy(
        List.copyOf(applying),
        enabled,
        severities,
        new EffectivePolicy.Parameters(
            ports.isEmpty() ? null : ports, maxKeyAge, unusedDays, unusedGroups),
        exceptions,
        nextExpiry,
        ServiceScope.ALL,
        ReportLanguage.forAccount(sorted, accountLabels),
        RemediationSettings.merge(sorted, accountLabels));
  }

  /** The cloud rules one policy's cloud part selects: frameworks, then include, minus exclude. */
  public static List<RuleMetadata> selectRules(
      PosturePolicySpec.Cloud cloud, List<RuleMetadata> rules) {
    var frameworks =
        cloud.frameworks() == null ? List.<PosturePolicySpec.Framework>of() : cloud.frameworks();
    var include = cloud.rules() == null ? null : cloud.rules().include();
    var exclude = cloud.rules() == null ? null : cloud.rules().exclude();
    return rules.stream()
        .filter(
            r ->
                frameworks.isEmpty()
                    || frameworks.stream().anyMatch(f -> r.inFramework(frameworkWire(f)))
                    || (include != null
                        && include.stream().anyMatch(i -> RulePatterns.matchesRule(i, r.id()))))
        .filter(
            r ->
                exclude == null
                    || exclude.stream().noneMatch(x -> RulePatterns.matchesRule(x, r.id())))
        .toList();
  }

  /** Unexpired exceptions of all policies, in policy-name then list order. */
  public static List<PolicyException> activeExceptions(List<PosturePolicy> sorted, Instant now) {
    var out = new ArrayList<PolicyException>();
    for (var p : sorted) {
      var list = p.getSpec() == null ? null : p.getSpec().exceptions();
      PolicyException.of(p.getMetadata().getName(), list).stream()
          .filter(e -> e.activeAt(now))
          .forEach(out::add);
    }
    return out;
  }

  /** The wire value of a framework (cis-aws, aws-fsbp). */
  public static String frameworkWire(PosturePolicySpec.Framework f) {
    return switch (f) {
      case CIS_AWS -> "cis-aws";
      case AWS_FSBP -> "aws-fsbp";
    };
  }

  private static Integer min(Integer a, Integer b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : Math.min(a, b);
  }
}
