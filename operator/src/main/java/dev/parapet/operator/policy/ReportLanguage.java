package dev.parapet.operator.policy;

import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.PosturePolicySpec.Language;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The language findings are reported in ({@code spec.reporting.language}): Report messages, Events
 * and the CLI's default output. Among the policies that apply, taken in name order (as exceptions
 * are), the first that sets a language wins; none: English. A policy applies to an AWS account when
 * its cloud part selects the account (as in {@link PolicyMerger#merge}), and to a namespace's
 * workload findings when its admission part selects the namespace.
 */
public final class ReportLanguage {

  private ReportLanguage() {}

  /** The language for the findings of an account with these labels. */
  public static Language forAccount(
      Collection<PosturePolicy> accepted, Map<String, String> accountLabels) {
    return first(
            accepted,
            spec -> {
              var cloud = spec.cloud();
              return cloud != null
                  && (cloud.accountSelector() == null
                      || cloud.accountSelector().matches(accountLabels));
            })
        .orElse(Language.EN);
  }

  /** The language for the workload findings of a namespace with these labels. */
  public static Language forNamespace(
      Collection<PosturePolicy> accepted, String namespace, Map<String, String> namespaceLabels) {
    var labels = new HashMap<String, String>(namespaceLabels == null ? Map.of() : namespaceLabels);
    labels.put("kubernetes.io/metadata.name", namespace);
    return first(
            accepted,
            spec -> {
              var adm = spec.admission();
              return adm != null
                  && (adm.excludedNamespaces() == null
                      || !adm.excludedNamespaces().contains(namespace))
                  && (adm.namespaceSelector() == null || adm.namespaceSelector().matches(labels));
            })
        .orElse(Language.EN);
  }

  /** The language the first policy (by name) that sets one asks for, whatever it applies to. */
  public static Optional<Language> declared(Collection<PosturePolicy> policies) {
    return first(policies, spec -> true);
  }

  private static Optional<Language> first(
      Collection<PosturePolicy> policies, Predicate<PosturePolicySpec> applies) {
    return policies.stream()
        .filter(p -> p.getSpec() != null && p.getSpec().reporting() != null)
        .filter(p -> p.getSpec().reporting().language() != null)
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .filter(p -> applies.test(p.getSpec()))
        .map(p -> p.getSpec().reporting().language())
        .findFirst();
  }
}
