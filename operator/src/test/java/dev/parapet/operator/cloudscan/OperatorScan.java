package dev.parapet.operator.cloudscan;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.operator.findings.CloudFindings;
import dev.parapet.operator.findings.DesiredFinding;
import dev.parapet.operator.policy.EffectivePolicy;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.scan.ScanCredentials;
import dev.parapet.operator.scan.ScanOutcome;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The path a CloudAccount's scan takes in the operator, on moto: the PosturePolicies merged for the
 * account ({@link PolicyMerger#effectiveFor}), the engine request built from that ({@link
 * EngineCloudScanner#request}), the engine's report turned into an outcome ({@link
 * EngineCloudScanner#outcome}) and the desired Findings with the policies' exceptions applied
 * ({@link CloudFindings#desired}). The engine's report is kept for what only it shows (API calls,
 * tags read).
 */
public final class OperatorScan {

  /** What one scan through the operator's path produced. */
  public record Result(
      ScanReport report,
      EffectivePolicy policy,
      ScanOutcome outcome,
      CloudFindings.Desired desired) {

    /** Resource ids of the rule's desired Findings suppressed by {@code exception}. */
    public List<String> suppressed(String ruleId, String exception) {
      return findings(ruleId).stream()
          .filter(d -> d.suppressedBy() != null)
          .peek(
              d ->
                  org.assertj.core.api.Assertions.assertThat(d.suppressedBy().exception())
                      .isEqualTo(exception))
          .map(d -> d.spec().resource().id())
          .sorted()
          .toList();
    }

    /** Resource ids of the rule's open (not suppressed) desired Findings. */
    public List<String> open(String ruleId) {
      return findings(ruleId).stream()
          .filter(d -> d.suppressedBy() == null)
          .map(d -> d.spec().resource().id())
          .sorted()
          .toList();
    }

    private List<DesiredFinding> findings(String ruleId) {
      return desired.findings().stream().filter(d -> d.spec().rule().id().equals(ruleId)).toList();
    }
  }

  private OperatorScan() {}

  /** The shipped cloud rules, as the operator's catalog describes them. */
  public static List<RuleMetadata> catalog() {
    return RuleRegistry.defaults().rules().stream().map(r -> r.metadata()).toList();
  }

  /**
   * A PosturePolicy that runs exactly {@code rules} (every other shipped rule excluded) with the
   * given exceptions.
   */
  public static PosturePolicy policy(
      String name, List<String> rules, PosturePolicySpec.PolicyException... exceptions) {
    var others =
        catalog().stream()
            .map(RuleMetadata::id)
            .filter(id -> !rules.contains(id))
            .sorted()
            .toList();
    var p = new PosturePolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
    p.setSpec(
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                null, null, new RuleSelection(null, others), Map.<String, Severity>of(), null),
            null,
            List.of(exceptions)));
    return p;
  }

  /** A CloudAccount for moto's account in {@code regions}, with static keys from a Secret. */
  public static CloudAccount account(URI endpoint, List<String> regions) {
    var a = new CloudAccount();
    a.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("team-a")
            .withName("moto")
            .withUid("uid-moto")
            .withGeneration(1L)
            .build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS,
            MotoServer.ACCOUNT_ID,
            regions,
            new CloudAccountSpec.Credentials(
                null, new CloudAccountSpec.SecretRef("moto-keys", null, null, null)),
            null,
            endpoint.toString()));
    return a;
  }

  /** Scans moto's account through the operator's path under {@code policies}. */
  public static Result scan(
      URI endpoint, List<String> regions, ClientSettings settings, PosturePolicy... policies) {
    return scan(account(endpoint, regions), settings, policies);
  }

  /** Scans the account (e.g. {@link #account} with spec.scan set) through the operator's path. */
  public static Result scan(
      CloudAccount account, ClientSettings settings, PosturePolicy... policies) {
    var effective = PolicyMerger.effectiveFor(List.of(policies), account, catalog(), Instant.now());
    var input =
        new ScanInput(
            account.getMetadata().getNamespace(),
            account.getMetadata().getName(),
            account.getSpec(),
            new ScanCredentials(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY, null, null),
            effective);
    try (var factory = new AwsClientFactory(settings)) {
      var report = new ScanEngine(factory).scan(EngineCloudScanner.request(input));
      var outcome = EngineCloudScanner.outcome(report);
      return new Result(
          report, effective, outcome, CloudFindings.desired(account, outcome, effective, 4096));
    }
  }

  /** An exception of a PosturePolicy. */
  public static PosturePolicySpec.PolicyException exception(
      String name, List<String> rules, PosturePolicySpec.Match match, String reason) {
    return new PosturePolicySpec.PolicyException(name, rules, match, reason, null, null);
  }

  /** A match on cloud criteria only. */
  public static PosturePolicySpec.Match cloudMatch(
      List<String> accounts, List<String> regions, List<String> arns, Map<String, String> tags) {
    return new PosturePolicySpec.Match(accounts, regions, arns, tags, null, null, null);
  }

  static Set<String> ids(List<RuleMetadata> rules) {
    return Set.copyOf(rules.stream().map(RuleMetadata::id).toList());
  }
}
