package dev.parapet.operator.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner's two guarantees for activity findings: a posture plan (a scan) never resolves one,
 * and an activity plan only creates, re-judges and deletes past retention, within the cap.
 */
class ActivityPlanTest {

  static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  static DesiredFinding activity(String name) {
    var d = FindingPlannerTest.desired(name, Severity.HIGH, "root user called ...");
    var s = d.spec();
    var spec =
        new FindingSpec(
            s.source(),
            s.rule(),
            s.resource(),
            s.message(),
            s.remediation(),
            FindingSpec.Category.ACTIVITY,
            new FindingSpec.Activity(
                "event-" + name, "StopLogging", null, "2026-12-01T00:00:00Z", null, "Root", null));
    return new DesiredFinding(d.namespace(), name, d.labels(), spec, null, null);
  }

  static Finding existing(DesiredFinding d) {
    var f = FindingPlanner.toFinding(FindingPlanner.normalized(d));
    f.getMetadata().setResourceVersion("1");
    f.setStatus(
        new FindingStatus(FindingStatus.State.OPEN, NOW.toString(), NOW.toString(), null, null));
    return f;
  }

  @Test
  void aPosturePlanNeverResolvesAnActivityFinding() {
    var activity = existing(activity("a"));
    var posture = existing(FindingPlannerTest.desired("p", Severity.HIGH, "open"));

    var plan =
        FindingPlanner.plan(
            List.of(), List.of(activity, posture), f -> false, 100, NOW, Duration.ofDays(7));

    assertThat(plan.statusUpdates())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getMetadata().getName()).isEqualTo("p");
              assertThat(f.getStatus().state()).isEqualTo(FindingStatus.State.RESOLVED);
            });
    assertThat(plan.deletes()).isEmpty();
  }

  @Test
  void anActivityPlanCreatesKeepsAndDeletesOnlyExpired() {
    var kept = existing(activity("kept"));
    var old = existing(activity("old"));

    var plan =
        FindingPlanner.planActivity(
            List.of(activity("new")),
            List.of(kept, old),
            f -> f.getMetadata().getName().equals("old"),
            100,
            NOW);

    assertThat(plan.creates()).extracting(f -> f.getMetadata().getName()).containsExactly("new");
    assertThat(plan.deletes()).extracting(f -> f.getMetadata().getName()).containsExactly("old");
    assertThat(plan.statusUpdates()).isEmpty();
    assertThat(plan.specUpdates()).isEmpty();
  }

  @Test
  void anExpiredFindingIsNotRecreatedByItsOwnRedelivery() {
    var old = existing(activity("old"));
    var plan =
        FindingPlanner.planActivity(List.of(activity("old")), List.of(old), f -> true, 100, NOW);
    assertThat(plan.creates()).isEmpty();
    assertThat(plan.deletes()).hasSize(1);
  }

  @Test
  void theCapCountsTheFindingsAlreadyThere() {
    var a = existing(activity("a"));
    var b = existing(activity("b"));
    var plan =
        FindingPlanner.planActivity(
            List.of(activity("c"), activity("d")), List.of(a, b), f -> false, 3, NOW);
    assertThat(plan.creates()).hasSize(1);
    assertThat(plan.counts().truncated()).isEqualTo(1);
  }

  @Test
  void aRedeliveredEventWritesNothing() {
    var a = existing(activity("a"));
    var plan =
        FindingPlanner.planActivity(List.of(activity("a")), List.of(a), f -> false, 100, NOW);
    assertThat(plan.isEmpty()).isTrue();
  }
}
