package dev.parapet.operator.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The diff at the heart of the writer, without Kubernetes. */
class FindingPlannerTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = T0.plus(Duration.ofHours(6));
  private static final Duration RETENTION = Duration.ofDays(7);

  public static DesiredFinding desired(String name, Severity severity, String message) {
    var spec =
        new FindingSpec(
            FindingSpec.Source.AWS,
            new FindingSpec.Rule("rule-" + name, "title", null, severity, List.of()),
            new FindingSpec.Resource(
                "AWS::EC2::SecurityGroup",
                name,
                null,
                "123456789012",
                "eu-west-1",
                null,
                null,
                null,
                null),
            message,
            null);
    return new DesiredFinding(
        "team-a",
        name,
        Map.of(Finding.LABEL_SEVERITY, severity.wireValue(), Finding.LABEL_SOURCE, "aws"),
        spec,
        null,
        null);
  }

  static DesiredFinding suppressed(DesiredFinding d) {
    return new DesiredFinding(
        d.namespace(),
        d.name(),
        d.labels(),
        d.spec(),
        d.owner(),
        new FindingStatus.SuppressedBy("baseline", "bastion", "jump host", null));
  }

  /** Applies a plan the way the API server would, returning the resulting objects. */
  static List<Finding> apply(Collection<Finding> observed, FindingPlan plan) {
    var byName = new java.util.LinkedHashMap<String, Finding>();
    observed.forEach(f -> byName.put(f.getMetadata().getName(), f));
    plan.creates().forEach(f -> byName.put(f.getMetadata().getName(), f));
    plan.specUpdates().forEach(f -> byName.put(f.getMetadata().getName(), f));
    plan.statusUpdates().forEach(f -> byName.put(f.getMetadata().getName(), f));
    plan.deletes().forEach(f -> byName.remove(f.getMetadata().getName()));
    return new ArrayList<>(byName.values());
  }

  static FindingPlan plan(List<DesiredFinding> desired, Collection<Finding> observed, Instant now) {
    return FindingPlanner.plan(desired, observed, f -> false, 100, now, RETENTION);
  }

  @Test
  void newFindingsAreCreatedOpenAndAnUnchangedRescanWritesNothing() {
    var desired =
        List.of(desired("a", Severity.HIGH, "port 22 open"), desired("b", Severity.LOW, "x"));
    var first = plan(desired, List.of(), T0);
    assertThat(first.creates()).hasSize(2);
    assertThat(first.creates().get(0).getStatus())
        .isEqualTo(
            new FindingStatus(FindingStatus.State.OPEN, T0.toString(), T0.toString(), null, null));
    assertThat(first.newlyOpen()).hasSize(2);
    var state = apply(List.of(), first);

    var second = plan(desired, state, T1);
    assertThat(second.isEmpty()).isTrue();
    assertThat(second.writeCount()).isZero();
    assertThat(second.counts().high()).isEqualTo(1);
    assertThat(second.counts().low()).isEqualTo(1);
  }

  @Test
  void disappearedFindingIsResolvedThenDeletedAfterRetention() {
    var a = desired("a", Severity.HIGH, "m");
    var b = desired("b", Severity.MEDIUM, "m");
    var state = apply(List.of(), plan(List.of(a, b), List.of(), T0));

    var fixed = plan(List.of(a), state, T1);
    assertThat(fixed.statusUpdates())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getMetadata().getName()).isEqualTo("b");
              assertThat(f.getStatus().state()).isEqualTo(FindingStatus.State.RESOLVED);
              assertThat(f.getStatus().resolvedAt()).isEqualTo(T1.toString());
              assertThat(f.getStatus().firstSeen()).isEqualTo(T0.toString());
            });
    assertThat(fixed.creates()).isEmpty();
    state = apply(state, fixed);

    assertThat(plan(List.of(a), state, T1.plus(Duration.ofDays(1))).isEmpty()).isTrue();
    var later = plan(List.of(a), state, T1.plus(RETENTION));
    assertThat(later.deletes()).extracting(f -> f.getMetadata().getName()).containsExactly("b");
  }

  @Test
  void unknownScopeIsNeverResolved() {
    var a = desired("a", Severity.HIGH, "m");
    var state = apply(List.of(), plan(List.of(a), List.of(), T0));
    var p =
        FindingPlanner.plan(
            List.of(), state, f -> f.getMetadata().getName().equals("a"), 100, T1, RETENTION);
    assertThat(p.isEmpty()).isTrue();
    assertThat(p.counts().high()).isEqualTo(1);
  }

  @Test
  void aFindingOutOfTheScanTargetResolvesWithItsReasonEvenInAnUnknownScope() {
    var a = desired("a", Severity.HIGH, "m");
    var b = desired("b", Severity.HIGH, "m");
    var c = desired("c", Severity.HIGH, "m");
    var state = apply(List.of(), plan(List.of(a, b, c), List.of(), T0));
    var p =
        FindingPlanner.plan(
            List.of(),
            state,
            f -> !f.getMetadata().getName().equals("b"), // a and c: their (rule, region) UNKNOWN
            f ->
                f.getMetadata().getName().equals("a")
                    ? FindingStatus.RESOLVED_OUT_OF_SCAN_TARGET
                    : null,
            100,
            T1,
            RETENTION);
    assertThat(p.statusUpdates())
        .extracting(
            f ->
                f.getMetadata().getName()
                    + " "
                    + f.getStatus().state()
                    + " "
                    + f.getStatus().resolvedReason())
        .containsExactlyInAnyOrder("a RESOLVED OutOfScanTarget", "b RESOLVED null");
  }

  @Test
  void exceptionSuppressesAndRemovalReopensKeepingFirstSeen() {
    var a = desired("a", Severity.HIGH, "m");
    var state = apply(List.of(), plan(List.of(a), List.of(), T0));

    var suppress = plan(List.of(suppressed(a)), state, T1);
    assertThat(suppress.statusUpdates())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getStatus().state()).isEqualTo(FindingStatus.State.SUPPRESSED);
              assertThat(f.getStatus().suppressedBy().exception()).isEqualTo("bastion");
              assertThat(f.getStatus().lastTransitionTime()).isEqualTo(T1.toString());
            });
    assertThat(suppress.counts().suppressed()).isEqualTo(1);
    assertThat(suppress.counts().high()).isZero();
    state = apply(state, suppress);
    assertThat(plan(List.of(suppressed(a)), state, T1.plusSeconds(60)).isEmpty()).isTrue();

    var t2 = T1.plus(Duration.ofHours(1));
    var reopen = plan(List.of(a), state, t2);
    assertThat(reopen.statusUpdates())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
              assertThat(f.getStatus().suppressedBy()).isNull();
              assertThat(f.getStatus().firstSeen()).isEqualTo(T0.toString());
              assertThat(f.getStatus().lastTransitionTime()).isEqualTo(t2.toString());
            });
    assertThat(reopen.newlyOpen()).hasSize(1);
  }

  @Test
  void resolvedFindingThatFailsAgainReopens() {
    var a = desired("a", Severity.HIGH, "m");
    var state = apply(List.of(), plan(List.of(a), List.of(), T0));
    state = apply(state, plan(List.of(), state, T1));
    var again = plan(List.of(a), state, T1.plusSeconds(3600));
    assertThat(again.statusUpdates())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
              assertThat(f.getStatus().resolvedAt()).isNull();
            });
  }

  @Test
  void changedEvidencePatchesSpecOnlyAndKeepsStatus() {
    var state = apply(List.of(), plan(List.of(desired("a", Severity.HIGH, "old")), List.of(), T0));
    var p = plan(List.of(desired("a", Severity.HIGH, "new")), state, T1);
    assertThat(p.specUpdates())
        .singleElement()
        .satisfies(f -> assertThat(f.getSpec().message()).isEqualTo("new"));
    assertThat(p.statusUpdates()).isEmpty();
    assertThat(p.creates()).isEmpty();
  }

  @Test
  void capLimitsNewFindingsBySeverityAndCountsTheTrueTotal() {
    var desired =
        List.of(
            desired("low", Severity.LOW, "m"),
            desired("crit", Severity.CRITICAL, "m"),
            desired("high", Severity.HIGH, "m"));
    var p = FindingPlanner.plan(desired, List.of(), f -> false, 2, T0, RETENTION);
    assertThat(p.creates())
        .extracting(f -> f.getMetadata().getName())
        .containsExactly("crit", "high");
    assertThat(p.counts().total()).isEqualTo(3);
    assertThat(p.counts().truncated()).isEqualTo(1);
    assertThat(p.counts().critical()).isEqualTo(1);
  }
}
