package dev.parapet.operator.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicySpec.Language;
import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

public class ReportBuilderTest {

  private static final String NS = "team-a";

  @Test
  void mapsStatesSeveritiesCategoryAndProperties() {
    var open = finding("a", "aws-iam-root-mfa-off", Severity.CRITICAL, FindingStatus.State.OPEN);
    var suppressed =
        finding("b", "aws-ec2-sg-ssh-open", Severity.INFORMATIONAL, FindingStatus.State.SUPPRESSED);
    var resolved =
        finding("c", "aws-s3-bucket-public", Severity.HIGH, FindingStatus.State.RESOLVED);
    var gap =
        new ScanGap(
            RuleMetadata.builder("aws-kms-key-rotation-off", RuleMetadata.Source.AWS)
                .title("KMS key rotation off", "KMS キーのローテーションが無効です")
                .severity(Severity.MEDIUM)
                .controls(RuleMetadata.CIS_AWS, "3.6")
                .build(),
            "123456789012",
            "prod",
            "kms",
            "eu-west-1",
            "AccessDenied",
            "not authorized to perform kms:ListKeys");
    var reports =
        ReportBuilder.build(
            ReportFormat.OPENREPORTS,
            NS,
            List.of(open, suppressed, resolved),
            List.of(gap),
            f -> Language.EN,
            ReportBuilder.DEFAULT_BUDGET_BYTES);
    assertThat(reports).hasSize(1);
    var r = reports.get(0);
    assertThat(r.getApiVersion()).isEqualTo("openreports.io/v1alpha1");
    assertThat(r.getKind()).isEqualTo("Report");
    assertThat(r.getMetadata().getName()).isEqualTo("parapet-1");
    assertThat(r.getAdditionalProperties().get("summary"))
        .isEqualTo(Map.of("pass", 0, "fail", 1, "warn", 0, "error", 1, "skip", 1));
    var results = results(r);
    assertThat(results)
        .extracting(x -> x.get("policy"))
        .containsExactly("aws-ec2-sg-ssh-open", "aws-iam-root-mfa-off", "aws-kms-key-rotation-off");
    assertThat(results.get(0)).containsEntry("result", "skip").containsEntry("severity", "info");
    assertThat(results.get(1))
        .containsEntry("result", "fail")
        .containsEntry("severity", "critical")
        .containsEntry("category", "CIS 1.4, CIS 1.5, FSBP IAM.9")
        .containsEntry("message", "Title a: evidence a")
        .containsEntry("timestamp", Map.of("seconds", 1764547200L, "nanos", 0));
    assertThat(props(results.get(1)))
        .containsEntry("account", "123456789012")
        .containsEntry("region", "eu-west-1")
        .containsEntry("arn", "arn:aws:ec2:eu-west-1:123456789012:thing/a")
        .containsEntry("resource", "res-a")
        .containsEntry("cis", "1.4,1.5")
        .containsEntry("fsbp", "IAM.9")
        .containsEntry("remediation", "Fix a")
        .containsEntry("triage", "acknowledged");
    assertThat(props(results.get(0))).containsEntry("suppressedBy", "baseline/lab");
    assertThat(results.get(2)).containsEntry("result", "error");
    assertThat(props(results.get(2))).containsEntry("reason", "AccessDenied");
    // PolicyReport: same body, other API.
    var legacy =
        ReportBuilder.build(
            ReportFormat.POLICYREPORT,
            NS,
            List.of(open),
            List.of(),
            f -> Language.EN,
            ReportBuilder.DEFAULT_BUDGET_BYTES);
    assertThat(legacy.get(0).getApiVersion()).isEqualTo("wgpolicyk8s.io/v1alpha2");
    assertThat(legacy.get(0).getKind()).isEqualTo("PolicyReport");
  }

  @Test
  void japaneseMessagesAndRemediation() {
    var f = finding("a", "aws-iam-root-mfa-off", Severity.CRITICAL, FindingStatus.State.OPEN);
    var r = results(build(List.of(f), Language.JA, ReportBuilder.DEFAULT_BUDGET_BYTES).get(0));
    assertThat(r.get(0)).containsEntry("message", "タイトル a：evidence a");
    assertThat(props(r.get(0)))
        .containsEntry("remediation", "修正 a")
        .containsEntry("language", "ja");
  }

  @Test
  void aNamespaceWithOnlyResolvedFindingsHasNoReport() {
    var f = finding("a", "aws-iam-root-mfa-off", Severity.CRITICAL, FindingStatus.State.RESOLVED);
    assertThat(build(List.of(f), Language.EN, ReportBuilder.DEFAULT_BUDGET_BYTES)).isEmpty();
    // Nor one whose status is not written yet (the writer's create comes before its status).
    var fresh = finding("b", "aws-iam-root-mfa-off", Severity.CRITICAL, FindingStatus.State.OPEN);
    fresh.setStatus(null);
    assertThat(build(List.of(fresh), Language.EN, ReportBuilder.DEFAULT_BUDGET_BYTES)).isEmpty();
  }

  @Test
  void splitsWithinTheBudgetInAStableOrderAndTheSameInputGivesTheSameContent() {
    var findings = new ArrayList<Finding>();
    IntStream.range(0, 300)
        .forEach(
            i ->
                findings.add(
                    finding(
                        "n" + i, "aws-rule-" + (i % 7), Severity.HIGH, FindingStatus.State.OPEN)));
    var budget = 40_000;
    var parts = build(findings, Language.EN, budget);
    assertThat(parts).hasSizeGreaterThan(3);
    assertThat(parts)
        .allSatisfy(p -> assertThat(ReportBuilder.jsonBytes(p)).isLessThanOrEqualTo(budget));
    assertThat(parts.stream().mapToInt(p -> results(p).size()).sum()).isEqualTo(300);
    assertThat(parts)
        .extracting(p -> p.getMetadata().getName())
        .startsWith("parapet-1", "parapet-2");
    var reversed = new ArrayList<>(findings);
    java.util.Collections.reverse(reversed);
    var again = build(reversed, Language.EN, budget);
    for (int i = 0; i < parts.size(); i++) {
      assertThat(ReportBuilder.content(again.get(i)))
          .isEqualTo(ReportBuilder.content(parts.get(i)));
    }
    // A changed finding changes the content of its part.
    findings.set(0, finding("n0", "aws-rule-0", Severity.CRITICAL, FindingStatus.State.OPEN));
    var changed = build(findings, Language.EN, budget);
    assertThat(
            IntStream.range(0, parts.size())
                .filter(
                    i ->
                        !ReportBuilder.content(changed.get(i))
                            .equals(ReportBuilder.content(parts.get(i))))
                .count())
        .isEqualTo(1);
  }

  private static List<GenericKubernetesResource> build(
      List<Finding> findings, Language language, int budget) {
    return ReportBuilder.build(
        ReportFormat.OPENREPORTS, NS, findings, List.of(), f -> language, budget);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> results(GenericKubernetesResource r) {
    return (List<Map<String, Object>>) r.getAdditionalProperties().get("results");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> props(Map<String, Object> result) {
    return (Map<String, String>) result.get("properties");
  }

  public static Finding finding(
      String key, String rule, Severity severity, FindingStatus.State state) {
    var f = new Finding();
    f.setMetadata(
        new ObjectMetaBuilder()
            .withName(rule + "-" + key)
            .withNamespace(NS)
            .withUid("uid-" + key)
            .withLabels(Map.of(Finding.LABEL_TRIAGE, "acknowledged"))
            .build());
    f.setSpec(
        new FindingSpec(
            FindingSpec.Source.AWS,
            new FindingSpec.Rule(
                rule,
                "Title " + key,
                "タイトル " + key,
                severity,
                List.of(
                    new FindingSpec.Compliance(RuleMetadata.CIS_AWS, "1.4"),
                    new FindingSpec.Compliance(RuleMetadata.CIS_AWS, "1.5"),
                    new FindingSpec.Compliance(RuleMetadata.AWS_FSBP, "IAM.9"))),
            new FindingSpec.Resource(
                "AWS::EC2::Thing",
                "res-" + key,
                "arn:aws:ec2:eu-west-1:123456789012:thing/" + key,
                "123456789012",
                "eu-west-1",
                null,
                null,
                null,
                null),
            "evidence " + key,
            new FindingSpec.Remediation("Fix " + key, "修正 " + key, "https://example.com/" + key)));
    f.setStatus(
        new FindingStatus(
            state,
            "2025-12-01T00:00:00Z",
            "2025-12-01T00:00:00Z",
            state == FindingStatus.State.RESOLVED ? "2025-12-02T00:00:00Z" : null,
            state == FindingStatus.State.SUPPRESSED
                ? new FindingStatus.SuppressedBy("baseline", "lab", "lab account", null)
                : null));
    return f;
  }
}
