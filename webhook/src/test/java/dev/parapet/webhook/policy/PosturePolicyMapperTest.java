package dev.parapet.webhook.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.api.v1alpha1.Enforcement;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PosturePolicyMapperTest {
  static String doc(String name, String spec) {
    return "apiVersion: parapet.dev/v1alpha1\nkind: PosturePolicy\nmetadata:\n  name: "
        + name
        + "\nspec:\n"
        + spec.indent(2);
  }

  @Test
  void mapsTheRepositoryExample() {
    var root = Path.of(System.getProperty("parapet.repo.root", ".."));
    var p = PolicyFile.load(root.resolve("examples/posturepolicy.yaml")).get(0);
    assertThat(p.name()).isEqualTo("baseline");
    assertThat(p.enforcement()).isEqualTo(Enforcement.DENY);
    assertThat(p.enforcementFor("host-network")).isEqualTo(Enforcement.WARN);
    assertThat(p.enforcementFor("port-forbidden")).isEqualTo(Enforcement.DENY);
    assertThat(p.excludedNamespaces()).containsExactly("monitoring");
    assertThat(p.forbiddenPorts())
        .containsExactly(
            new PortRule(22, 22, "TCP"),
            new PortRule(3389, 3389, "TCP"),
            new PortRule(2375, 2376, "TCP"));
    assertThat(p.scan()).containsExactlyInAnyOrder(ScanLocation.values());
    assertThat(p.detectors()).isEqualTo(AdmissionPolicy.allDetectorIds());
    // The example's only exception is a cloud one (accounts/ARNs): it never matches a workload.
    assertThat(p.exceptions()).hasSize(1);
    assertThat(
            p.exceptions()
                .get(0)
                .matchesWorkload("port-forbidden", "prod", "web", java.util.Map.of()))
        .isFalse();
  }

  @Test
  void absentFieldsTakeTheCrdDefaultsAndCloudOnlyPoliciesMapToNothing() {
    var p = PolicyFile.parse(doc("p", "admission: {}"), "t").get(0);
    assertThat(p.enforcement()).isEqualTo(Enforcement.DENY);
    assertThat(p.forbiddenPorts()).isEqualTo(AdmissionPolicy.DEFAULT_FORBIDDEN_PORTS);
    assertThat(p.forbidHostNetwork()).isTrue();
    assertThat(p.forbidNodePort()).isTrue();
    assertThat(p.forbidHostPID()).isFalse();
    assertThat(p.existingViolationsOnUpdate()).isEqualTo(UpdateMode.Allow);
    assertThat(PolicyFile.parse(doc("c", "cloud:\n  frameworks: [cis-aws]"), "t")).isEmpty();
  }

  @Test
  void theNoPolicyDefaultOnlyWarns() {
    var d = AdmissionPolicy.defaults();
    assertThat(d.enforcement()).isEqualTo(Enforcement.WARN);
    assertThat(d.ruleEnforcement()).isEmpty();
    assertThat(PolicySet.of(java.util.List.of()).isDefault()).isTrue();
  }

  @Test
  void mapsExceptions() {
    var p =
        PolicyFile.parse(
                doc(
                    "p",
                    """
                    admission: {}
                    exceptions:
                      - rules: [port-*]
                        match:
                          names: ["legacy-?"]
                        reason: tracked in SEC-1
                        owner: team-a
                        expiresAt: "2030-01-01T00:00:00Z"
                    """),
                "t")
            .get(0);
    var e = p.exceptions().get(0);
    assertThat(e.name()).isEqualTo("exceptions[0]");
    assertThat(e.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(e.matchesWorkload("port-forbidden", "x", "legacy-1", java.util.Map.of())).isTrue();
    assertThat(e.matchesWorkload("host-network", "x", "legacy-1", java.util.Map.of())).isFalse();
  }

  static void assertInvalid(String spec, String message) {
    assertThatThrownBy(() -> PolicyFile.parse(doc("bad", spec), "policies.yaml"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage(message);
  }

  @Test
  void namesTheExactInvalidField() {
    assertInvalid(
        "admission:\n  ruleEnforcement:\n    no-such-rule: Deny",
        "policies.yaml document 1 (bad) spec.admission.ruleEnforcement.no-such-rule: unknown"
            + " workload rule id (known: [port-forbidden, host-network, host-pid, host-ipc,"
            + " service-nodeport, service-exposed-port, aws-access-key-id, aws-secret-access-key,"
            + " credential-token, env-secret-literal, configmap-credentials,"
            + " pss-baseline-* (12 rules), pss-restricted-* (6 rules)])");
    assertInvalid(
        "admission:\n  forbiddenPorts:\n    - port: 70000",
        "policies.yaml document 1 (bad) spec.admission.forbiddenPorts[0].port: must be 1-65535, got 70000");
    assertInvalid(
        "admission:\n  forbiddenPorts:\n    - port: 30\n      endPort: 20",
        "policies.yaml document 1 (bad) spec.admission.forbiddenPorts[0].endPort: must be between port (30) and 65535");
    assertInvalid(
        "admission:\n  forbiddenPorts:\n    - port: 22\n      protocol: ICMP",
        "policies.yaml document 1 (bad) spec.admission.forbiddenPorts[0].protocol: must be TCP, UDP or SCTP");
    assertInvalid(
        "admission:\n  credentials:\n    detectors: [aws-access-key-id, nope]",
        "policies.yaml document 1 (bad) spec.admission.credentials.detectors[1]: unknown detector \"nope\""
            + " (known: [aws-access-key-id, aws-secret-access-key, github-token, gitlab-token,"
            + " slack-token, stripe-key, private-key, jwt, password-assignment,"
            + " connection-string, secret-env-name])");
    assertInvalid(
        "admission: {}\nexceptions:\n  - match: {names: [x]}\n    reason: ok\n    expiresAt: tomorrow",
        "policies.yaml document 1 (bad) spec.exceptions[0].expiresAt: must be an RFC 3339 time such as 2026-12-31T00:00:00Z");
    assertInvalid(
        "admission: {}\nexceptions:\n  - match: {names: [x]}\n    reason: ' '",
        "policies.yaml document 1 (bad) spec.exceptions[0].reason: required");
  }

  @Test
  void rejectsWrongTypesAndKindsInTheFile() {
    assertThatThrownBy(() -> PolicyFile.parse(doc("bad", "admission:\n  enforcement: Block"), "f"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageStartingWith("f document 1 spec.admission.enforcement: invalid value");
    assertThatThrownBy(() -> PolicyFile.parse("apiVersion: v1\nkind: ConfigMap\n", "f"))
        .hasMessage(
            "f document 1: expected apiVersion parapet.dev/v1alpha1 and kind PosturePolicy");
    assertThatThrownBy(() -> PolicyFile.parse("a: [", "f"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageStartingWith("f: not valid YAML");
    assertThatThrownBy(() -> PolicyFile.load(Path.of("/nonexistent/policies.yaml")))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("cannot read");
  }

  @Test
  void everyProblemIsReportedAtOnceAsTheOperatorReportsThem() {
    var spec =
        "admission:\n  ruleEnforcement:\n    no-such-rule: Deny\n  forbiddenPorts:\n"
            + "    - port: 70000\n  credentials:\n    detectors: [nope]\n"
            + "cloud:\n  rules:\n    include: [aws-not-checked-here]\n"
            + "exceptions:\n  - reason: ' '\n    expiresAt: tomorrow";
    assertThatThrownBy(() -> PolicyFile.parse(doc("bad", spec), "policies.yaml"))
        .isInstanceOfSatisfying(
            InvalidPolicyException.class,
            e -> {
              assertThat(e.problems())
                  .extracting(PolicyValidator.Problem::field)
                  .containsExactly(
                      "policies.yaml document 1 (bad) spec.admission.ruleEnforcement.no-such-rule",
                      "policies.yaml document 1 (bad) spec.admission.forbiddenPorts[0].port",
                      "policies.yaml document 1 (bad) spec.admission.credentials.detectors[0]",
                      "policies.yaml document 1 (bad) spec.exceptions[0].reason",
                      "policies.yaml document 1 (bad) spec.exceptions[0].match",
                      "policies.yaml document 1 (bad) spec.exceptions[0].expiresAt");
              assertThat(e.field())
                  .isEqualTo(
                      "policies.yaml document 1 (bad) spec.admission.ruleEnforcement.no-such-rule");
              assertThat(e.getMessage())
                  .contains("must be 1-65535, got 70000; ")
                  .contains("unknown detector \"nope\"");
            });
  }

  @Test
  void theWebhookChecksCloudRuleIdsOnlyWhereItKnowsThem() {
    var spec =
        new dev.parapet.api.v1alpha1.PosturePolicySpec(
            new dev.parapet.api.v1alpha1.PosturePolicySpec.Cloud(
                null,
                null,
                new dev.parapet.api.v1alpha1.RuleSelection(List.of("aws-whatever"), null),
                null,
                null),
            null,
            null);
    assertThat(PolicyValidator.withoutCloudRules().validate(spec, Instant.now(), false)).isEmpty();
    assertThat(
            new PolicyValidator(List.of("aws-known"), List.of(), List.of())
                .validate(spec, Instant.now(), false))
        .extracting(PolicyValidator.Problem::field)
        .containsExactly("spec.cloud.rules.include[0]");
  }
}
