package dev.parapet.operator.policy;

import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.core.RuleMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The AWS services an account is scanned for ({@code spec.scan.services}). A cloud rule runs only
 * when every service it reads is in scope: in {@code include} (or {@code include} is empty) and not
 * in {@code exclude}; exclude wins. Workload rules are not scoped.
 *
 * <p>The values are kept as written, unknown ones included, so that an invalid scope never turns
 * into "every service": {@code include: [ec3]} allows nothing. Callers check {@link #valid()} and
 * refuse to scan with {@link #problems()} otherwise.
 *
 * @param problems one message per unknown value, naming the field and the valid values
 */
public record ServiceScope(
    SortedSet<String> include, SortedSet<String> exclude, List<String> problems) {

  /** Services the engine has collectors for, as spec.scan.services names them. */
  public static final SortedSet<String> SUPPORTED =
      Collections.unmodifiableSortedSet(
          Arrays.stream(CloudAccountSpec.AwsService.values())
              .map(CloudAccountSpec.AwsService::wireValue)
              .collect(Collectors.toCollection(TreeSet::new)));

  /** No restriction: every service. */
  public static final ServiceScope ALL = new ServiceScope(null, null, null);

  public ServiceScope {
    include = Collections.unmodifiableSortedSet(include == null ? new TreeSet<>() : include);
    exclude = Collections.unmodifiableSortedSet(exclude == null ? new TreeSet<>() : exclude);
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** The scope of an account spec; fields are named as in the CloudAccount. */
  public static ServiceScope of(CloudAccountSpec spec) {
    var scan = spec == null ? null : spec.scan();
    return of(
        scan == null ? null : scan.services(),
        "spec.scan.services.include",
        "spec.scan.services.exclude");
  }

  /**
   * The scope of {@code services}, naming the two lists {@code includeField}/{@code excludeField}.
   */
  public static ServiceScope of(
      CloudAccountSpec.Services services, String includeField, String excludeField) {
    if (services == null) {
      return ALL;
    }
    var problems = new ArrayList<String>();
    var include = read(services.include(), includeField, problems);
    var exclude = read(services.exclude(), excludeField, problems);
    return new ServiceScope(include, exclude, problems);
  }

  private static SortedSet<String> read(List<String> values, String field, List<String> problems) {
    var out = new TreeSet<String>();
    if (values == null) {
      return out;
    }
    for (int i = 0; i < values.size(); i++) {
      var v = values.get(i);
      out.add(String.valueOf(v));
      if (v != null && SUPPORTED.contains(v)) {
        continue;
      }
      var hint =
          v != null && SUPPORTED.contains(v.trim().toLowerCase(Locale.ROOT))
              ? " (did you mean " + v.trim().toLowerCase(Locale.ROOT) + "?)"
              : "";
      problems.add(
          field
              + "["
              + i
              + "]: unknown service '"
              + v
              + "'"
              + hint
              + "; valid values: "
              + String.join(", ", SUPPORTED));
    }
    return out;
  }

  /** True when every value names a supported service. */
  public boolean valid() {
    return problems.isEmpty();
  }

  /** True when nothing is restricted. */
  public boolean everything() {
    return include.isEmpty() && exclude.isEmpty();
  }

  /** Whether the service's APIs may be called and its rules run. */
  public boolean allows(String service) {
    return (include.isEmpty() || include.contains(service)) && !exclude.contains(service);
  }

  /** Whether the rule runs under this scope: a cloud rule whose services are all allowed. */
  public boolean allows(RuleMetadata rule) {
    return rule.source() != RuleMetadata.Source.AWS
        || rule.services().stream().allMatch(this::allows);
  }

  /** All problems in one sentence, for a status condition or a CLI error. */
  public String describeProblems() {
    return String.join("; ", problems);
  }
}
