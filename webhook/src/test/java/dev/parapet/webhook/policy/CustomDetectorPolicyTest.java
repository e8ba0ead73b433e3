package dev.parapet.webhook.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.webhook.Fixtures;
import dev.parapet.webhook.WorkloadEvaluator;
import dev.parapet.webhook.WorkloadReview;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * User-defined detectors in a PosturePolicy: validated when applied (the message names the
 * detector's field and why), run with RE2/J next to the built-in detectors.
 */
class CustomDetectorPolicyTest {
  static final String ACME =
      """
      admission:
        enforcement: Deny
        credentials:
          customDetectors:
            - name: acme-token
              keywords: [acme_]
              regex: 'acme_([A-Za-z0-9]{24})\\b'
              minEntropy: 3.0
              severity: critical
      """;

  static AdmissionPolicy parse(String spec) {
    return PolicyFile.parse(PosturePolicyMapperTest.doc("p", spec), "policies.yaml").get(0);
  }

  static void assertRejected(String detector, String message) {
    var spec =
        "admission:\n  credentials:\n    customDetectors:\n"
            + detector.indent(6).stripTrailing()
            + "\n";
    assertThatThrownBy(() -> parse(spec))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage(
            "policies.yaml document 1 (p) spec.admission.credentials.customDetectors[0]: "
                + message);
  }

  @Test
  void patternsOutsideRe2AreRejectedWithTheReason() {
    assertRejected(
        "- name: backref\n  keywords: [abc]\n  regex: '(a)\\1'",
        "regex is not valid RE2 (no backreferences or lookaround): invalid escape sequence");
    assertRejected(
        "- name: lookahead\n  keywords: [abc]\n  regex: 'abc(?=d)'",
        "regex is not valid RE2 (no backreferences or lookaround): invalid or unsupported Perl"
            + " syntax");
    assertRejected(
        "- name: empty\n  keywords: [abc]\n  regex: 'x*'", "regex matches the empty string");
    assertRejected(
        "- name: short\n  keywords: [ab]\n  regex: 'abc'",
        "keywords: each keyword needs at least 3 characters");
    assertRejected(
        "- name: Bad_Name\n  keywords: [abc]\n  regex: 'abc'",
        "name must be 3-41 lower-case letters, digits or dashes, starting with a letter");
  }

  @Test
  void aCustomDetectorReportsItsMatchRedacted() {
    var policy = parse(ACME);
    assertThat(policy.customDetectors()).hasSize(1);
    var secret = "acme_" + "Q7w2Er9Ty4Ui8Op3As6Df1Gh";
    var pod =
        Fixtures.pod(
            new ContainerBuilder()
                .withName("app")
                .withImage("app:1")
                .addNewEnv()
                .withName("ACME")
                .withValue("token " + secret + " end")
                .endEnv()
                .addNewEnv()
                .withName("LOW")
                .withValue("acme_" + "a".repeat(24))
                .endEnv()
                .build());
    var violations =
        WorkloadEvaluator.evaluate(WorkloadReview.of(pod), policy, Instant.now()).stream()
            .filter(v -> v.rule().id().equals("credential-token"))
            .toList();
    assertThat(violations).hasSize(1);
    var message = violations.get(0).message();
    assertThat(message)
        .contains("env ACME holds a literal credential (custom detector acme-token)")
        .contains("acme-token…(24 chars redacted, severity critical)")
        .doesNotContain("Q7w2Er9Ty4Ui8Op3As6Df1Gh");
  }
}
