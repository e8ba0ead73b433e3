package dev.parapet.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.api.v1alpha1.Selector;
import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.operator.scan.TestRules;
import dev.parapet.webhook.policy.PolicyException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyMergerTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static PosturePolicy policy(
      String name, PosturePolicySpec.Cloud cloud, PosturePolicySpec.PolicyException... exceptions) {
    var p = new PosturePolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
    p.setSpec(new PosturePolicySpec(cloud, null, List.of(exceptions)));
    return p;
  }

  static PosturePolicySpec.Cloud cloud(
      Selector selector,
      List<PosturePolicySpec.Framework> frameworks,
      RuleSelection rules,
      Map<String, Severity> overrides,
      PosturePolicySpec.CloudParameters params) {
    return new PosturePolicySpec.Cloud(selector, frameworks, rules, overrides, params);
  }

  @Test
  void strictestWinsAcrossPolicies() {
    var lenient =
        policy(
            "lenient",
            cloud(
                null,
                List.of(PosturePolicySpec.Framework.CIS_AWS),
                null,
                Map.of("aws-ec2-sg-ssh-open", Severity.LOW),
                new PosturePolicySpec.CloudParameters(List.of(25), 120, 90, false)));
    var strict =
        policy(
            "strict",
            cloud(
                new Selector(Map.of("env", "prod"), null),
                null,
                new RuleSelection(null, List.of("aws-iam-*")),
                Map.of("aws-s3-versioning-off", Severity.HIGH),
                new PosturePolicySpec.CloudParameters(List.of(3306), 90, null, true)));

    var merged =
        PolicyMerger.merge(List.of(strict, lenient), Map.of("env", "prod"), TestRules.ALL, NOW);

    assertThat(merged.policies()).containsExactly("lenient", "strict");
    // union: cis-aws gives ssh + root-mfa; strict gives every cloud rule except aws-iam-*
    assertThat(merged.enabledRules())
        .containsExactly(
            "aws-ec2-sg-all-ports-open",
            "aws-ec2-sg-ssh-open",
            "aws-iam-root-mfa-off",
            "aws-s3-versioning-off");
    // lenient lowers ssh to low, strict keeps the default high: the more severe wins
    assertThat(merged.severities()).containsEntry("aws-ec2-sg-ssh-open", Severity.HIGH);
    // only strict raises versioning: high beats the default low
    assertThat(merged.severities()).containsEntry("aws-s3-versioning-off", Severity.HIGH);
    assertThat(merged.severities()).containsEntry("aws-iam-root-mfa-off", Severity.CRITICAL);
    assertThat(merged.parameters().sensitivePorts()).containsExactlyInAnyOrder(25, 3306);
    assertThat(merged.parameters().maxAccessKeyAgeDays()).isEqualTo(90);
    assertThat(merged.parameters().unusedCredentialDays()).isEqualTo(90);
    assertThat(merged.parameters().includeUnusedSecurityGroups()).isTrue();
  }

  @Test
  void lowerSeverityNeedsEveryApplyingPolicyToAgree() {
    var a = policy("a", cloud(null, null, null, Map.of("aws-ec2-sg-ssh-open", Severity.LOW), null));
    var b =
        policy("b", cloud(null, null, null, Map.of("aws-ec2-sg-ssh-open", Severity.MEDIUM), null));
    var merged = PolicyMerger.merge(List.of(a, b), Map.of(), TestRules.ALL, NOW);
    assertThat(merged.severities()).containsEntry("aws-ec2-sg-ssh-open", Severity.MEDIUM);
  }

  @Test
  void policiesThatDoNotSelectTheAccountAreIgnoredAndNoPolicyMeansDefaults() {
    var other =
        policy(
            "other",
            cloud(
                new Selector(Map.of("env", "prod"), null),
                null,
                new RuleSelection(null, List.of("aws-*")),
                null,
                null));
    var merged = PolicyMerger.merge(List.of(other), Map.of("env", "dev"), TestRules.ALL, NOW);
    assertThat(merged.policies()).isEmpty();
    assertThat(merged.enabledRules()).hasSize(4).doesNotContain("k8s-forbidden-port");
    assertThat(merged.severities()).containsEntry("aws-ec2-sg-ssh-open", Severity.HIGH);
  }

  @Test
  void onlyUnexpiredExceptionsAreActiveAndTheFingerprintChangesWhenOneExpires() {
    var match =
        new PosturePolicySpec.Match(List.of("123456789012"), null, null, null, null, null, null);
    var p =
        policy(
            "p",
            null,
            new PosturePolicySpec.PolicyException(
                "bastion", List.of("aws-ec2-*"), match, "jump host", "sec", "2026-01-02T00:00:00Z"),
            new PosturePolicySpec.PolicyException(
                null, null, match, "old", null, "2025-12-01T00:00:00Z"));
    var before = PolicyMerger.merge(List.of(p), Map.of(), TestRules.ALL, NOW);
    assertThat(before.exceptions()).extracting(PolicyException::name).containsExactly("bastion");
    assertThat(before.nextExpiry()).contains(Instant.parse("2026-01-02T00:00:00Z"));
    assertThat(
            before.cloudException(
                "aws-ec2-sg-ssh-open", "123456789012", "eu-west-1", "arn:x", Map.of()))
        .isPresent();
    assertThat(
            before.cloudException(
                "aws-s3-versioning-off", "123456789012", "eu-west-1", "arn:x", Map.of()))
        .isEmpty();

    var after =
        PolicyMerger.merge(
            List.of(p), Map.of(), TestRules.ALL, Instant.parse("2026-01-03T00:00:00Z"));
    assertThat(after.exceptions()).isEmpty();
    assertThat(after.fingerprint()).isNotEqualTo(before.fingerprint());
  }

  @Test
  void exceptionMatchingByArnGlobTagsAndWorkloadFields() {
    var cloudMatch =
        new PosturePolicySpec.Match(
            null,
            List.of("eu-west-1"),
            List.of("arn:aws:ec2:*:123456789012:security-group/sg-0*"),
            Map.of("team", "net"),
            null,
            null,
            null);
    var e = new PolicyException("p", "e", List.of(), cloudMatch, "r", null, null);
    assertThat(
            e.matchesCloud(
                "x",
                "123456789012",
                "eu-west-1",
                "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc",
                Map.of("team", "net")))
        .isTrue();
    assertThat(
            e.matchesCloud(
                "x",
                "123456789012",
                "eu-west-1",
                "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1abc",
                Map.of("team", "net")))
        .isFalse();
    assertThat(
            e.matchesCloud(
                "x",
                "123456789012",
                "eu-west-1",
                "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc",
                Map.of()))
        .isFalse();
    assertThat(e.matchesWorkload("x", "default", "web", Map.of())).isFalse();

    var k8s =
        new PolicyException(
            "p",
            "k",
            List.of("k8s-*"),
            new PosturePolicySpec.Match(
                null, null, null, null, List.of("legacy"), List.of("web-*"), null),
            "r",
            null,
            null);
    assertThat(k8s.matchesWorkload("k8s-forbidden-port", "legacy", "web-1", Map.of())).isTrue();
    assertThat(k8s.matchesWorkload("k8s-forbidden-port", "prod", "web-1", Map.of())).isFalse();
    assertThat(k8s.matchesCloud("k8s-forbidden-port", "1", "r", "a", Map.of())).isFalse();
  }

  /** The shipped cloud rules, as the operator's catalog describes them. */
  static List<RuleMetadata> shippedRules() {
    return RuleRegistry.defaults().rules().stream().map(r -> r.metadata()).toList();
  }

  private static List<String> selected(
      List<PosturePolicySpec.Framework> frameworks, RuleSelection rules) {
    return PolicyMerger.selectRules(cloud(null, frameworks, rules, null, null), shippedRules())
        .stream()
        .map(RuleMetadata::id)
        .toList();
  }

  @Test
  void selectionByFrameworkIncludeAndExcludeOverTheShippedRules() {
    assertThat(
            selected(
                List.of(PosturePolicySpec.Framework.AWS_FSBP),
                new RuleSelection(null, List.of("aws-ec2-sg-ssh-open"))))
        .contains("aws-ec2-snapshot-public")
        .doesNotContain("aws-ec2-sg-ssh-open", "aws-ec2-ami-public");
    assertThat(
            selected(
                List.of(PosturePolicySpec.Framework.CIS_AWS),
                new RuleSelection(List.of("aws-ec2-ami-public"), null)))
        .contains("aws-ec2-sg-ssh-open", "aws-ec2-ami-public")
        .doesNotContain("aws-ec2-snapshot-public");
    assertThat(selected(null, null)).hasSize(RuleRegistry.defaults().rules().size());
  }
}
