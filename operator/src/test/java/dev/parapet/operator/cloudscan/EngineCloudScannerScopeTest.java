package dev.parapet.operator.cloudscan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.engine.RuleSelection;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.policy.ServiceScope;
import dev.parapet.operator.scan.ScanCredentials;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine gets the account's service scope and selects exactly the operator's rules. */
class EngineCloudScannerScopeTest {

  static final List<RuleMetadata> CATALOG =
      RuleRegistry.defaults().rules().stream().map(r -> r.metadata()).toList();

  static ScanInput input(List<String> include, List<String> exclude) {
    var spec =
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS,
            "123456789012",
            List.of("eu-west-1"),
            null,
            new CloudAccountSpec.Scan(null, null, new CloudAccountSpec.Services(include, exclude)),
            null);
    var policy =
        PolicyMerger.merge(List.of(), Map.of(), CATALOG, Instant.now())
            .within(ServiceScope.of(spec), CATALOG);
    return new ScanInput("ns", "acct", spec, ScanCredentials.DEFAULT_CHAIN, policy);
  }

  @Test
  void engineSelectionEqualsTheScopedEnabledRules() {
    var in = input(List.of("ec2", "s3"), List.of("s3"));
    var request = EngineCloudScanner.request(in);
    assertThat(request.policy().services()).containsExactlyInAnyOrder("ec2", "s3");
    assertThat(request.policy().excludedServices()).containsExactly("s3");
    assertThat(RuleSelection.validate(request.policy(), RuleRegistry.defaults())).isEmpty();

    var selected =
        RuleSelection.enabled(request.policy(), RuleRegistry.defaults()).stream()
            .map(AwsRule::id)
            .toList();
    assertThat(selected).containsExactlyInAnyOrderElementsOf(in.policy().enabledRules());
    assertThat(selected).isNotEmpty().allSatisfy(id -> assertThat(id).matches("aws-(ec2|vpc)-.*"));
    // The datasets the engine will collect, hence the collectors it calls: EC2 only.
    assertThat(
            RuleSelection.enabled(request.policy(), RuleRegistry.defaults()).stream()
                .flatMap(r -> r.definition().datasets().stream())
                .map(dev.parapet.operator.aws.inventory.Datasets::service)
                .distinct()
                .toList())
        .containsExactly("ec2");
  }

  @Test
  void anUnknownServiceThatReachesTheEngineFailsTheScanBeforeAnyCall() {
    // The reconciler refuses such a spec first; this is the engine's own guard behind it.
    try (var clients = new AwsClientFactory(ClientSettings.defaults())) {
      var outcome =
          new EngineCloudScanner(new ScanEngine(clients)).scan(input(List.of("ec3"), null));
      assertThat(outcome.fatal()).isNotNull();
      assertThat(outcome.fatal().reason()).isEqualTo("InvalidPolicy");
      assertThat(outcome.fatal().message()).contains("unknown service 'ec3'");
      assertThat(outcome.apiCalls()).isZero();
    }
  }
}
