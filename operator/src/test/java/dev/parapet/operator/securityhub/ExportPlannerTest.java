package dev.parapet.operator.securityhub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.Severity;
import dev.parapet.operator.aws.export.ExportedFinding;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only what changed since the last accepted export is sent. */
class ExportPlannerTest {

  static final String NS = "payments";
  static final String PRODUCT =
      "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default";
  static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");

  static Finding finding(String name, FindingStatus.State state, Severity severity) {
    var f = new Finding();
    f.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    f.setSpec(
        new FindingSpec(
            FindingSpec.Source.AWS,
            new FindingSpec.Rule(
                "aws-ec2-sg-ssh-open",
                "SSH open",
                null,
                severity,
                List.of(new FindingSpec.Compliance("aws-fsbp", "EC2.13"))),
            new FindingSpec.Resource(
                "AWS::EC2::SecurityGroup",
                "sg-1",
                "arn:aws:ec2:us-east-1:123456789012:security-group/sg-1",
                "123456789012",
                "us-east-1",
                null,
                null,
                null,
                null),
            "tcp/22 open to 0.0.0.0/0",
            new FindingSpec.Remediation("Close it.", null, "https://docs.aws.amazon.com/")));
    f.setStatus(
        new FindingStatus(
            state,
            "2026-12-01T00:00:00Z",
            "2026-12-01T00:00:00Z",
            state == FindingStatus.State.RESOLVED ? "2026-12-06T00:00:00Z" : null,
            state == FindingStatus.State.SUPPRESSED
                ? new FindingStatus.SuppressedBy("baseline", "bastion", "jump host", null)
                : null));
    return f;
  }

  /** {@code f} as it is after an accepted export at {@code at}. */
  static Finding exported(Finding f, Instant at) {
    var item = ExportPlanner.plan(List.of(f), NS, PRODUCT, at);
    var fp =
        item.isEmpty()
            ? ExportPlanner.exported(f, NS, at).fingerprint(PRODUCT)
            : item.get(0).fingerprint();
    var annotations = new HashMap<String, String>();
    annotations.put(ExportPlanner.HASH, fp);
    annotations.put(ExportPlanner.AT, at.toString());
    f.getMetadata().setAnnotations(annotations);
    return f;
  }

  @Test
  void aNewOpenFindingIsSentAndAnExportedUnchangedOneIsNot() {
    var fresh = finding("a", FindingStatus.State.OPEN, Severity.HIGH);
    var same =
        exported(finding("b", FindingStatus.State.OPEN, Severity.HIGH), NOW.minusSeconds(60));
    var plan = ExportPlanner.plan(List.of(same, fresh), NS, PRODUCT, NOW);
    assertThat(plan).extracting(i -> i.finding().getMetadata().getName()).containsExactly("a");
    assertThat(plan.get(0).exported().id()).isEqualTo("parapet/payments/a");
    assertThat(plan.get(0).exported().disposition()).isEqualTo(ExportedFinding.Disposition.OPEN);
  }

  @Test
  void aChangeOfContentOrStateSendsItAgainWithTheSameId() {
    var before = exported(finding("a", FindingStatus.State.OPEN, Severity.HIGH), NOW);
    var raised = finding("a", FindingStatus.State.OPEN, Severity.CRITICAL);
    raised.getMetadata().setAnnotations(before.getMetadata().getAnnotations());
    var resolved = finding("a", FindingStatus.State.RESOLVED, Severity.HIGH);
    resolved.getMetadata().setAnnotations(before.getMetadata().getAnnotations());
    var suppressed = finding("a", FindingStatus.State.SUPPRESSED, Severity.HIGH);
    suppressed.getMetadata().setAnnotations(before.getMetadata().getAnnotations());

    assertThat(ExportPlanner.plan(List.of(raised), NS, PRODUCT, NOW)).hasSize(1);
    var archive = ExportPlanner.plan(List.of(resolved), NS, PRODUCT, NOW);
    assertThat(archive).hasSize(1);
    assertThat(archive.get(0).exported().id()).isEqualTo("parapet/payments/a");
    assertThat(archive.get(0).exported().disposition())
        .isEqualTo(ExportedFinding.Disposition.RESOLVED);
    assertThat(ExportPlanner.plan(List.of(suppressed), NS, PRODUCT, NOW))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.exported().disposition())
                  .isEqualTo(ExportedFinding.Disposition.SUPPRESSED);
              assertThat(i.exported().suppressedBy()).isEqualTo("baseline/bastion");
            });
  }

  @Test
  void anArchivedFindingOnceAcceptedIsNotSentAgain() {
    var resolved = exported(finding("a", FindingStatus.State.RESOLVED, Severity.HIGH), NOW);
    assertThat(ExportPlanner.plan(List.of(resolved), NS, PRODUCT, NOW.plusSeconds(86400 * 60)))
        .as("archived findings are not refreshed")
        .isEmpty();
  }

  @Test
  void resolvedOrSuppressedFindingsThatWereNeverExportedAreNotSent() {
    assertThat(
            ExportPlanner.plan(
                List.of(
                    finding("r", FindingStatus.State.RESOLVED, Severity.HIGH),
                    finding("s", FindingStatus.State.SUPPRESSED, Severity.HIGH)),
                NS,
                PRODUCT,
                NOW))
        .isEmpty();
  }

  @Test
  void anOpenFindingIsRefreshedOnceItsLastImportIsOlderThanTheRefreshInterval() {
    var old = exported(finding("a", FindingStatus.State.OPEN, Severity.HIGH), NOW);
    assertThat(ExportPlanner.plan(List.of(old), NS, PRODUCT, NOW.plus(ExportPlanner.REFRESH)))
        .hasSize(1);
    assertThat(
            ExportPlanner.plan(
                List.of(old), NS, PRODUCT, NOW.plus(ExportPlanner.REFRESH).minusSeconds(1)))
        .isEmpty();
  }

  @Test
  void anotherRegionIsAnotherProductSoEverythingIsSentThere() {
    var f = exported(finding("a", FindingStatus.State.OPEN, Severity.HIGH), NOW);
    var other = PRODUCT.replace("us-east-1", "ap-northeast-1");
    assertThat(ExportPlanner.plan(List.of(f), NS, other, NOW)).hasSize(1);
  }

  @Test
  void workloadFindingsAreNeverSent() {
    var k = finding("k", FindingStatus.State.OPEN, Severity.HIGH);
    var spec = k.getSpec();
    k.setSpec(
        new FindingSpec(
            FindingSpec.Source.KUBERNETES,
            spec.rule(),
            spec.resource(),
            spec.message(),
            spec.remediation()));
    assertThat(ExportPlanner.plan(List.of(k), NS, PRODUCT, NOW)).isEmpty();
  }
}
