package dev.parapet.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.aws.collect.Collector;
import dev.parapet.operator.aws.collect.CollectorRegistry;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.operator.scan.TestRules;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** spec.scan.services: which rules an account runs, and what an invalid value does. */
class ServiceScopeTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static CloudAccountSpec spec(List<String> include, List<String> exclude) {
    return new CloudAccountSpec(
        CloudAccountSpec.Provider.AWS,
        "123456789012",
        List.of("eu-west-1"),
        null,
        new CloudAccountSpec.Scan("6h", null, new CloudAccountSpec.Services(include, exclude)),
        null);
  }

  static List<String> allowed(ServiceScope scope) {
    return TestRules.ALL.stream().filter(scope::allows).map(RuleMetadata::id).toList();
  }

  static EffectivePolicy everyRule() {
    return PolicyMerger.merge(List.of(), Map.of(), TestRules.ALL, NOW);
  }

  @Test
  void noScopeRunsEveryRule() {
    for (var spec :
        List.of(
            spec(null, null),
            spec(List.of(), List.of()),
            new CloudAccountSpec(null, "123456789012", null, null, null, null),
            new CloudAccountSpec(
                null,
                "123456789012",
                null,
                null,
                new CloudAccountSpec.Scan(null, null, null),
                null))) {
      var scope = ServiceScope.of(spec);
      assertThat(scope.valid()).isTrue();
      assertThat(scope.everything()).isTrue();
      assertThat(allowed(scope)).hasSize(TestRules.ALL.size());
    }
  }

  @Test
  void includeKeepsOnlyThoseServicesAndWorkloadRulesAreNotScoped() {
    var scope = ServiceScope.of(spec(List.of("ec2"), null));
    assertThat(scope.valid()).isTrue();
    assertThat(allowed(scope))
        .containsExactly("aws-ec2-sg-ssh-open", "aws-ec2-sg-all-ports-open", "k8s-forbidden-port");
  }

  @Test
  void excludeWinsOverInclude() {
    var scope = ServiceScope.of(spec(List.of("ec2", "s3"), List.of("s3")));
    assertThat(allowed(scope))
        .containsExactly("aws-ec2-sg-ssh-open", "aws-ec2-sg-all-ports-open", "k8s-forbidden-port");
    var onlyExclude = ServiceScope.of(spec(null, List.of("iam")));
    assertThat(allowed(onlyExclude)).doesNotContain("aws-iam-root-mfa-off").hasSize(4);
    var everythingExcluded = ServiceScope.of(spec(List.of("ec2"), List.of("ec2")));
    assertThat(allowed(everythingExcluded)).containsExactly("k8s-forbidden-port");
  }

  @Test
  void unknownServicesAreProblemsNamingTheFieldAndTheValidValues() {
    var scope = ServiceScope.of(spec(List.of("ec2", "ec3"), List.of("EC2")));
    assertThat(scope.valid()).isFalse();
    assertThat(scope.problems())
        .containsExactly(
            "spec.scan.services.include[1]: unknown service 'ec3'; valid values: accessanalyzer, cloudtrail, cloudwatch, config, ec2, ecr, efs, eks, elb, guardduty, iam, kms, lambda, rds, s3, secretsmanager, securityhub, sns, sqs",
            "spec.scan.services.exclude[0]: unknown service 'EC2' (did you mean ec2?); valid values: accessanalyzer, cloudtrail, cloudwatch, config, ec2, ecr, efs, eks, elb, guardduty, iam, kms, lambda, rds, s3, secretsmanager, securityhub, sns, sqs");
    assertThat(scope.describeProblems()).contains("include[1]").contains("exclude[0]");
  }

  @Test
  void anInvalidIncludeNeverWidensToEveryService() {
    var scope = ServiceScope.of(spec(List.of("ec3"), null));
    assertThat(scope.valid()).isFalse();
    assertThat(scope.everything()).isFalse();
    assertThat(allowed(scope)).containsExactly("k8s-forbidden-port");
  }

  @Test
  void withinNarrowsEnabledRulesAndSeveritiesAndChangesTheFingerprint() {
    var all = everyRule();
    var scoped = all.within(ServiceScope.of(spec(List.of("ec2"), null)), TestRules.ALL);
    assertThat(scoped.enabledRules())
        .containsExactly("aws-ec2-sg-all-ports-open", "aws-ec2-sg-ssh-open");
    assertThat(scoped.severities().keySet()).isEqualTo(scoped.enabledRules());
    assertThat(scoped.scope().include()).containsExactly("ec2");
    assertThat(scoped.parameters()).isEqualTo(all.parameters());
    assertThat(scoped.fingerprint()).isNotEqualTo(all.fingerprint());
    assertThat(all.within(ServiceScope.ALL, TestRules.ALL)).isEqualTo(all);
  }

  @Test
  void scopeNarrowsWhatPoliciesEnableAndNeverAddsARule() {
    var policy =
        PolicyMergerTest.policy(
            "no-ssh",
            PolicyMergerTest.cloud(
                null, null, new RuleSelection(null, List.of("aws-ec2-sg-ssh-open")), null, null));
    var merged = PolicyMerger.merge(List.of(policy), Map.of(), TestRules.ALL, NOW);
    var scoped = merged.within(ServiceScope.of(spec(List.of("ec2"), null)), TestRules.ALL);
    assertThat(scoped.enabledRules()).containsExactly("aws-ec2-sg-all-ports-open");
  }

  @Test
  void supportedServicesAreExactlyThoseTheEngineCollects() {
    var collected =
        CollectorRegistry.defaults().all().stream()
            .map(Collector::service)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(ServiceScope.SUPPORTED).isEqualTo(collected);
    assertThat(ServiceScope.SUPPORTED)
        .isEqualTo(new TreeSet<>(dev.parapet.operator.aws.engine.RuleSelection.SERVICES));
  }

  @Test
  void everyEngineRuleReadsSupportedServicesOnly() {
    var cloud = RuleRegistry.defaults().rules().stream().map(r -> r.metadata()).toList();
    assertThat(cloud).isNotEmpty();
    assertThat(cloud)
        .allSatisfy(r -> assertThat(r.services()).isNotEmpty().isSubsetOf(ServiceScope.SUPPORTED));
    // The rule id names its service (aws-vpc-* rules read EC2); a rule that joins two services
    // (the CloudTrail bucket's access logging reads S3 too) names the one it judges.
    assertThat(cloud)
        .allSatisfy(
            r ->
                assertThat(r.services())
                    .contains(r.id().startsWith("aws-vpc-") ? "ec2" : r.id().split("-")[1]));
    assertThat(cloud)
        .filteredOn(r -> r.services().size() > 1)
        .extracting(r -> r.id())
        .containsExactly("aws-cloudtrail-bucket-access-logging-off");
  }

  @Test
  void policyCloudFrameworksAreUntouchedByTheScope() {
    // A policy's own selection is computed before the scope: frameworks still select.
    var cis =
        PolicyMergerTest.policy(
            "cis",
            PolicyMergerTest.cloud(
                null, List.of(PosturePolicySpec.Framework.CIS_AWS), null, null, null));
    var merged = PolicyMerger.merge(List.of(cis), Map.of(), TestRules.ALL, NOW);
    assertThat(merged.enabledRules())
        .containsExactly("aws-ec2-sg-ssh-open", "aws-iam-root-mfa-off");
    var scoped = merged.within(ServiceScope.of(spec(null, List.of("ec2"))), TestRules.ALL);
    assertThat(scoped.enabledRules()).containsExactly("aws-iam-root-mfa-off");
  }
}
