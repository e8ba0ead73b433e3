package dev.parapet.operator.policy;

import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.policy.PolicyException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The merged cloud policy for one account: which rules run, their effective severity, the rule
 * parameters and the exceptions that are active now. See {@link PolicyMerger} for the merge rule.
 *
 * @param policies names of the policies that selected the account (empty: built-in defaults)
 * @param severities effective severity of every enabled rule
 * @param nextExpiry the soonest expiry among the active exceptions, when the policy changes next
 * @param scope the account's service scope; {@link #enabledRules} already leaves out the rules of
 *     services outside it
 * @param language the language of the account's Events and Report messages ({@link
 *     ReportLanguage}); it changes no result, so it is not in the {@link #fingerprint()}
 */
public record EffectivePolicy(
    List<String> policies,
    SortedSet<String> enabledRules,
    SortedMap<String, Severity> severities,
    Parameters parameters,
    List<PolicyException> exceptions,
    Optional<Instant> nextExpiry,
    ServiceScope scope,
    PosturePolicySpec.Language language,
    RemediationSettings remediation) {

  public EffectivePolicy {
    scope = scope == null ? ServiceScope.ALL : scope;
    language = language == null ? PosturePolicySpec.Language.EN : language;
    remediation = remediation == null ? RemediationSettings.NONE : remediation;
  }

  /** A policy without remediation. */
  public EffectivePolicy(
      List<String> policies,
      SortedSet<String> enabledRules,
      SortedMap<String, Severity> severities,
      Parameters parameters,
      List<PolicyException> exceptions,
      Optional<Instant> nextExpiry,
      ServiceScope scope,
      PosturePolicySpec.Language language) {
    this(
        policies,
        enabledRules,
        severities,
        parameters,
        exceptions,
        nextExpiry,
        scope,
        language,
        null);
  }

  /** This policy running only {@code rules} (of those it enables): the remediation rescan. */
  public EffectivePolicy onlyRules(Collection<String> rules) {
    var enabled = new TreeSet<>(enabledRules);
    enabled.retainAll(rules);
    var sev = new TreeMap<>(severities);
    sev.keySet().retainAll(enabled);
    return new EffectivePolicy(
        policies, enabled, sev, parameters, exceptions, nextExpiry, scope, language, remediation);
  }

  /** Merged rule parameters; null means the rule's own default. */
  public record Parameters(
      Set<Integer> sensitivePorts,
      Integer maxAccessKeyAgeDays,
      Integer unusedCredentialDays,
      boolean includeUnusedSecurityGroups) {}

  /**
   * This policy for an account scanned within {@code scope}: rules of services outside it are no
   * longer enabled (exactly as if no policy enabled them), everything else is unchanged.
   */
  public EffectivePolicy within(ServiceScope scope, Collection<RuleMetadata> catalog) {
    var inScope =
        catalog.stream().filter(scope::allows).map(RuleMetadata::id).collect(Collectors.toSet());
    var enabled = new TreeSet<>(enabledRules);
    enabled.retainAll(inScope);
    var sev = new TreeMap<>(severities);
    sev.keySet().retainAll(enabled);
    return new EffectivePolicy(
        policies, enabled, sev, parameters, exceptions, nextExpiry, scope, language, remediation);
  }

  /** The first active exception that matches a cloud result, if any. */
  public Optional<PolicyException> cloudException(
      String ruleId, String accountId, String region, String arn, Map<String, String> tags) {
    return exceptions.stream()
        .filter(e -> e.matchesCloud(ruleId, accountId, region, arn, tags))
        .findFirst();
  }

  /**
   * A stable digest of everything that changes scan results; a different fingerprint means the
   * account must be rescanned.
   */
  public String fingerprint() {
    var inputs =
        new java.util.ArrayList<Object>(
            List.of(enabledRules, severities, parameters, exceptions, scope));
    if (remediation.active()) {
      inputs.add(remediation); // a new remediation setting shows its plans at once
    }
    return Integer.toHexString(inputs.toString().hashCode());
  }
}
