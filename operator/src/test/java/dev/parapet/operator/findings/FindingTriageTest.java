package dev.parapet.operator.findings;

import static dev.parapet.operator.findings.FindingPlannerTest.desired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.Severity;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Triage labels (parapet.dev/owner, parapet.dev/triage), other tools' labels and annotations, and
 * the Argo CD marks, through spec updates, status updates, resolve and reopen.
 */
class FindingTriageTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration RETENTION = Duration.ofDays(7);

  static FindingPlan plan(List<DesiredFinding> desired, Collection<Finding> observed, Instant at) {
    return FindingPlanner.plan(desired, observed, f -> false, 100, at, RETENTION);
  }

  /**
   * Applies a plan as the API server does: creates and spec updates replace the object (metadata
   * included); a status update replaces only the status.
   */
  static List<Finding> apply(Collection<Finding> observed, FindingPlan plan) {
    var byName = new LinkedHashMap<String, Finding>();
    observed.forEach(f -> byName.put(f.getMetadata().getName(), copy(f)));
    plan.creates().forEach(f -> byName.put(f.getMetadata().getName(), copy(f)));
    plan.specUpdates().forEach(f -> byName.put(f.getMetadata().getName(), copy(f)));
    for (var f : plan.statusUpdates()) {
      byName.get(f.getMetadata().getName()).setStatus(f.getStatus());
    }
    plan.deletes().forEach(f -> byName.remove(f.getMetadata().getName()));
    return new ArrayList<>(byName.values());
  }

  static Finding copy(Finding f) {
    var c = new Finding();
    c.setMetadata(new ObjectMetaBuilder(f.getMetadata()).build());
    c.setSpec(f.getSpec());
    c.setStatus(f.getStatus());
    return c;
  }

  /** What {@code kubectl label} / {@code kubectl annotate} does to a stored Finding. */
  static List<Finding> userEdits(
      List<Finding> state, Map<String, String> labels, Map<String, String> annotations) {
    var out = new ArrayList<Finding>();
    for (var f : state) {
      var c = copy(f);
      var l = new HashMap<>(c.getMetadata().getLabels());
      l.putAll(labels);
      c.getMetadata().setLabels(l);
      var a =
          new HashMap<>(
              c.getMetadata().getAnnotations() == null
                  ? Map.<String, String>of()
                  : c.getMetadata().getAnnotations());
      a.putAll(annotations);
      c.getMetadata().setAnnotations(a);
      out.add(c);
    }
    return out;
  }

  static final Map<String, String> TRIAGE =
      Map.of(
          Finding.LABEL_OWNER,
          "team-net",
          Finding.LABEL_TRIAGE,
          "in-progress",
          "example.com/ticket",
          "SEC-42");
  static final Map<String, String> NOTE = Map.of("example.com/note", "waiting for the vendor");

  @Test
  void createdFindingsCarryTheArgoCdMarks() {
    var p = plan(List.of(desired("a", Severity.HIGH, "m")), List.of(), T0);
    assertThat(p.creates().get(0).getMetadata().getAnnotations())
        .containsEntry("argocd.argoproj.io/compare-options", "IgnoreExtraneous")
        .containsEntry("argocd.argoproj.io/sync-options", "Prune=false");
  }

  @Test
  void labellingAFindingCausesNoWriteAndARescanKeepsTheLabels() {
    var a = desired("a", Severity.HIGH, "m");
    var state = apply(List.of(), plan(List.of(a), List.of(), T0));
    state = userEdits(state, TRIAGE, NOTE);
    assertThat(plan(List.of(a), state, T0.plusSeconds(60)).isEmpty()).isTrue();
  }

  @Test
  void specUpdateKeepsUserLabelsAndAnnotationsButReplacesTheOperatorsLabels() {
    var a = desired("a", Severity.HIGH, "old");
    var state = apply(List.of(), plan(List.of(a), List.of(), T0));
    // A stale operator label (an older version wrote a region label this finding no longer has)
    // and a changed one: both are the operator's, so both are replaced.
    state =
        userEdits(
            state,
            Map.of(
                Finding.LABEL_OWNER, "team-net",
                Finding.LABEL_TRIAGE, "acknowledged",
                Finding.LABEL_REGION, "us-east-1",
                Finding.LABEL_SEVERITY, "low"),
            NOTE);
    var p = plan(List.of(desired("a", Severity.HIGH, "new")), state, T0.plusSeconds(60));
    assertThat(p.specUpdates()).hasSize(1);
    var meta = p.specUpdates().get(0).getMetadata();
    assertThat(meta.getLabels())
        .containsEntry(Finding.LABEL_OWNER, "team-net")
        .containsEntry(Finding.LABEL_TRIAGE, "acknowledged")
        .containsEntry(Finding.LABEL_SEVERITY, "high")
        .doesNotContainKey(Finding.LABEL_REGION);
    assertThat(meta.getAnnotations())
        .containsEntry("example.com/note", "waiting for the vendor")
        .containsAllEntriesOf(Finding.ARGOCD_ANNOTATIONS);
    assertThat(meta.getResourceVersion())
        .isEqualTo(state.get(0).getMetadata().getResourceVersion());
  }

  @Test
  void aFindingWithoutTheArgoCdMarksGetsThemOnTheNextWriteKeepingOtherAnnotations() {
    var a = desired("a", Severity.HIGH, "m");
    var state = apply(List.of(), plan(List.of(a), List.of(), T0));
    // As written by a version before the marks, then annotated by someone.
    state.get(0).getMetadata().setAnnotations(new HashMap<>(NOTE));
    state = userEdits(state, TRIAGE, Map.of());
    var p = plan(List.of(a), state, T0.plusSeconds(60));
    assertThat(p.specUpdates()).hasSize(1);
    assertThat(p.statusUpdates()).isEmpty();
    var meta = p.specUpdates().get(0).getMetadata();
    assertThat(meta.getAnnotations())
        .containsAllEntriesOf(NOTE)
        .containsAllEntriesOf(Finding.ARGOCD_ANNOTATIONS);
    assertThat(meta.getLabels()).containsAllEntriesOf(TRIAGE);
    state = apply(state, p);
    assertThat(plan(List.of(a), state, T0.plusSeconds(120)).isEmpty()).isTrue();
  }

  @Test
  void resolvedThenReopenedKeepsTheLabelsAndSaysItReopened() {
    var a = desired("a", Severity.HIGH, "m");
    var state = apply(List.of(), plan(List.of(a), List.of(), T0));
    state = userEdits(state, TRIAGE, NOTE);

    var resolve = plan(List.of(), state, T0.plusSeconds(3600));
    assertThat(resolve.specUpdates()).isEmpty();
    assertThat(resolve.statusUpdates().get(0).getMetadata().getLabels())
        .containsAllEntriesOf(TRIAGE);
    state = apply(state, resolve);
    assertThat(state.get(0).getStatus().state()).isEqualTo(FindingStatus.State.RESOLVED);
    assertThat(state.get(0).getStatus().reopenCount()).isNull();

    var t2 = T0.plusSeconds(7200);
    var reopen = plan(List.of(a), state, t2);
    assertThat(reopen.creates()).isEmpty();
    assertThat(reopen.specUpdates()).isEmpty();
    assertThat(reopen.newlyOpen()).hasSize(1);
    state = apply(state, reopen);
    var f = state.get(0);
    assertThat(f.getMetadata().getLabels()).containsAllEntriesOf(TRIAGE);
    assertThat(f.getMetadata().getAnnotations()).containsAllEntriesOf(NOTE);
    assertThat(f.getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    assertThat(f.getStatus().reopenedAt()).isEqualTo(t2.toString());
    assertThat(f.getStatus().reopenCount()).isEqualTo(1);
    assertThat(f.getStatus().firstSeen()).isEqualTo(T0.toString());
    assertThat(f.getStatus().resolvedAt()).isNull();

    // A rescan with the same result keeps the reopen record and writes nothing.
    assertThat(plan(List.of(a), state, t2.plusSeconds(60)).isEmpty()).isTrue();
    // Resolving keeps it too, and the second reopen counts 2 with the new time.
    state = apply(state, plan(List.of(), state, t2.plusSeconds(3600)));
    assertThat(state.get(0).getStatus().reopenCount()).isEqualTo(1);
    var t3 = t2.plusSeconds(7200);
    state = apply(state, plan(List.of(a), state, t3));
    assertThat(state.get(0).getStatus().reopenCount()).isEqualTo(2);
    assertThat(state.get(0).getStatus().reopenedAt()).isEqualTo(t3.toString());
    assertThat(state.get(0).getMetadata().getLabels()).containsAllEntriesOf(TRIAGE);
  }

  @Test
  void anInvalidTriageValueIsLeftAloneAndReportedInStatusUntilFixed() {
    var a = desired("a", Severity.HIGH, "m");
    var state = apply(List.of(), plan(List.of(a), List.of(), T0));
    state = userEdits(state, Map.of(Finding.LABEL_TRIAGE, "wontfix"), Map.of());

    var p = plan(List.of(a), state, T0.plusSeconds(60));
    assertThat(p.specUpdates()).isEmpty();
    assertThat(p.statusUpdates()).hasSize(1);
    state = apply(state, p);
    assertThat(state.get(0).getStatus().invalidTriage()).isEqualTo("wontfix");
    assertThat(state.get(0).getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    assertThat(state.get(0).getStatus().lastTransitionTime()).isEqualTo(T0.toString());
    assertThat(state.get(0).getMetadata().getLabels())
        .containsEntry(Finding.LABEL_TRIAGE, "wontfix");
    assertThat(plan(List.of(a), state, T0.plusSeconds(120)).isEmpty()).isTrue();

    state = userEdits(state, Map.of(Finding.LABEL_TRIAGE, "risk-accepted"), Map.of());
    state = apply(state, plan(List.of(a), state, T0.plusSeconds(180)));
    assertThat(state.get(0).getStatus().invalidTriage()).isNull();
  }
}
