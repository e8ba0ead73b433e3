package dev.parapet.operator.policy;

import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec.RemediationMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The merged {@code spec.remediation} of the PosturePolicies that select one account. The most
 * conservative wins: a rule's mode is the lowest any applying policy gives it (Off &lt; DryRun &lt;
 * Apply), every policy's exclusion tag excludes, and the per-scan limit is the smallest.
 *
 * @param modes mode per rule id, only rules some policy covers (Off ones included)
 * @param excludeTags key=value tags that exclude a resource (always holds {@link #DEFAULT_EXCLUDE})
 * @param maxActionsPerScan at most this many actions per account per scan
 * @param policies the policies whose remediation applies, in name order
 */
public record RemediationSettings(
    SortedMap<String, RemediationMode> modes,
    SortedSet<String> excludeTags,
    int maxActionsPerScan,
    List<String> policies) {

  public static final String DEFAULT_EXCLUDE = "parapet.dev/no-remediate=true";
  public static final int DEFAULT_LIMIT = 10;

  /** No policy asks for remediation. */
  public static final RemediationSettings NONE =
      new RemediationSettings(
          new TreeMap<>(), new TreeSet<>(List.of(DEFAULT_EXCLUDE)), DEFAULT_LIMIT, List.of());

  public RemediationSettings {
    modes = new TreeMap<>(modes);
    excludeTags = new TreeSet<>(excludeTags);
    policies = List.copyOf(policies);
  }

  /** The mode for a rule (Off when no policy covers it). */
  public RemediationMode mode(String ruleId) {
    return modes.getOrDefault(ruleId, RemediationMode.OFF);
  }

  /** True when some rule is in DryRun or Apply. */
  public boolean active() {
    return modes.values().stream().anyMatch(m -> m != RemediationMode.OFF);
  }

  /** True when a resource with these tags carries an exclusion tag. */
  public boolean excluded(Map<String, String> tags) {
    if (tags == null) {
      return false;
    }
    for (var t : excludeTags) {
      var i = t.indexOf('=');
      var value = tags.get(t.substring(0, i));
      if (value != null && value.equals(t.substring(i + 1))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Merges the remediation parts of {@code sorted} (accepted policies, in name order) that select
   * an account with {@code labels}: the remediation's own accountSelector, else the cloud part's.
   */
  public static RemediationSettings merge(
      Collection<PosturePolicy> sorted, Map<String, String> labels) {
    var modes = new TreeMap<String, RemediationMode>();
    var tags = new TreeSet<String>(List.of(DEFAULT_EXCLUDE));
    var limit = DEFAULT_LIMIT;
    var limitSet = false;
    var names = new ArrayList<String>();
    for (var p : sorted) {
      var spec = p.getSpec();
      var r = spec == null ? null : spec.remediation();
      if (r == null) {
        continue;
      }
      var selector =
          r.accountSelector() != null
              ? r.accountSelector()
              : spec.cloud() == null ? null : spec.cloud().accountSelector();
      if (selector != null && !selector.matches(labels)) {
        continue;
      }
      names.add(p.getMetadata().getName());
      var mode = r.mode() == null ? RemediationMode.OFF : r.mode();
      for (var rule : r.rules() == null ? List.<String>of() : r.rules()) {
        modes.merge(rule, mode, (a, b) -> a.ordinal() <= b.ordinal() ? a : b);
      }
      if (r.excludeTag() != null && r.excludeTag().indexOf('=') > 0) {
        tags.add(r.excludeTag());
      }
      if (r.maxActionsPerScan() != null) {
        limit = limitSet ? Math.min(limit, r.maxActionsPerScan()) : r.maxActionsPerScan();
        limitSet = true;
      }
    }
    return new RemediationSettings(modes, tags, limit, names);
  }
}
