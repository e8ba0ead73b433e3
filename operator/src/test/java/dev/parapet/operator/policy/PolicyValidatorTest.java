package dev.parapet.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.api.v1alpha1.Selector;
import dev.parapet.core.Severity;
import dev.parapet.operator.scan.TestRules;
import dev.parapet.webhook.policy.PolicyValidator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyValidatorTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final PolicyValidator VALIDATOR = PolicyMerger.validator(TestRules.ALL);
  private static final PosturePolicySpec.Match MATCH =
      new PosturePolicySpec.Match(List.of("123456789012"), null, null, null, null, null, null);

  static PosturePolicySpec.Admission admission(
      List<PosturePolicySpec.PortRule> ports, RuleSelection rules) {
    return new PosturePolicySpec.Admission(
        null, null, null, null, rules, ports, null, null, null, null, null, null, null, null);
  }

  static List<String> fields(PosturePolicySpec spec, boolean rejectPast) {
    return VALIDATOR.validate(spec, NOW, rejectPast).stream()
        .map(PolicyValidator.Problem::field)
        .toList();
  }

  @Test
  void validPolicyHasNoProblems() {
    var spec =
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                new Selector(null, List.of(new Selector.Requirement("env", "In", List.of("prod")))),
                List.of(PosturePolicySpec.Framework.CIS_AWS),
                new RuleSelection(List.of("aws-s3-*"), List.of("aws-iam-root-mfa-off")),
                Map.of("aws-ec2-sg-ssh-open", Severity.CRITICAL),
                new PosturePolicySpec.CloudParameters(List.of(22, 3306), 90, 45, false)),
            admission(
                List.of(new PosturePolicySpec.PortRule(8000, 8100, "TCP")),
                new RuleSelection(List.of("k8s-*"), null)),
            List.of(
                new PosturePolicySpec.PolicyException(
                    "e",
                    List.of("aws-ec2-sg-ssh-open"),
                    MATCH,
                    "bastion",
                    null,
                    "2027-01-01T00:00:00Z")));
    assertThat(VALIDATOR.validate(spec, NOW, true)).isEmpty();
  }

  @Test
  void unknownRuleIdsNameTheFieldAndSuggestAFix() {
    var spec =
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                null,
                null,
                new RuleSelection(List.of("aws-ec2-sg-shh-open"), null),
                Map.of("nope", Severity.LOW),
                null),
            admission(null, new RuleSelection(null, List.of("aws-ec2-sg-ssh-open"))),
            null);
    var problems = VALIDATOR.validate(spec, NOW, false);
    assertThat(problems)
        .extracting(PolicyValidator.Problem::field)
        .containsExactly(
            "spec.cloud.rules.include[0]",
            "spec.cloud.severityOverrides.nope",
            "spec.admission.rules.exclude[0]");
    assertThat(problems.get(0).message()).contains("did you mean").contains("aws-ec2-sg-ssh-open");
    // a cloud rule id is not a workload rule id
    assertThat(problems.get(2).message()).contains("workload rule");
  }

  @Test
  void badPortRangesAndProtocols() {
    var spec =
        new PosturePolicySpec(
            null,
            admission(
                List.of(
                    new PosturePolicySpec.PortRule(0, null, null),
                    new PosturePolicySpec.PortRule(9000, 8000, "TCP"),
                    new PosturePolicySpec.PortRule(22, null, "ICMP")),
                null),
            null);
    assertThat(fields(spec, false))
        .containsExactly(
            "spec.admission.forbiddenPorts[0].port",
            "spec.admission.forbiddenPorts[1].endPort",
            "spec.admission.forbiddenPorts[2].protocol");
  }

  @Test
  void exceptionsNeedAReasonAMatchAndAValidExpiry() {
    var spec =
        new PosturePolicySpec(
            null,
            null,
            List.of(
                new PosturePolicySpec.PolicyException(null, null, MATCH, "  ", null, null),
                new PosturePolicySpec.PolicyException(
                    null,
                    null,
                    new PosturePolicySpec.Match(null, null, null, null, null, null, null),
                    "r",
                    null,
                    null),
                new PosturePolicySpec.PolicyException(null, null, MATCH, "r", null, "next tuesday"),
                new PosturePolicySpec.PolicyException(
                    null, List.of("gone-*"), MATCH, "r", null, "2025-06-01T00:00:00Z")));
    assertThat(fields(spec, true))
        .containsExactly(
            "spec.exceptions[0].reason",
            "spec.exceptions[1].match",
            "spec.exceptions[2].expiresAt",
            "spec.exceptions[3].rules[0]",
            "spec.exceptions[3].expiresAt");
    // an exception that expired after the policy was accepted is not an error
    assertThat(fields(spec, false)).doesNotContain("spec.exceptions[3].expiresAt");
  }

  static PosturePolicySpec.PolicyException tagException(List<String> rules) {
    return new PosturePolicySpec.PolicyException(
        "by-tag",
        rules,
        new PosturePolicySpec.Match(null, null, null, Map.of("risk", "accepted"), null, null, null),
        "accepted",
        null,
        null);
  }

  @Test
  void aTagMatchOnAccountLevelRulesOnlyCanNeverMatchAndIsRejected() {
    var spec =
        new PosturePolicySpec(
            null,
            null,
            List.of(
                tagException(List.of("aws-iam-root-mfa-off")),
                tagException(List.of("aws-iam-*")),
                tagException(List.of("aws-iam-root-mfa-off", "aws-s3-versioning-off")),
                tagException(List.of("aws-s3-versioning-off")),
                tagException(null)));
    var problems = VALIDATOR.validate(spec, NOW, true);
    assertThat(problems)
        .extracting(PolicyValidator.Problem::field)
        .containsExactly("spec.exceptions[0].match.tags", "spec.exceptions[1].match.tags");
    assertThat(problems.get(0).message())
        .contains("can never match")
        .contains("aws-iam-root-mfa-off")
        .contains("account-level settings")
        .contains("remove match.tags");
  }

  @Test
  void selectorOperatorsAreChecked() {
    var spec =
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                new Selector(
                    null,
                    List.of(
                        new Selector.Requirement("env", "In", List.of()),
                        new Selector.Requirement("env", "Exists", List.of("x")))),
                null,
                null,
                null,
                null),
            null,
            null);
    assertThat(fields(spec, false))
        .containsExactly(
            "spec.cloud.accountSelector.matchExpressions[0].values",
            "spec.cloud.accountSelector.matchExpressions[1].values");
  }
}
