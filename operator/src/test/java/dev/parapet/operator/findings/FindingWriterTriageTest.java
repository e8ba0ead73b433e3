package dev.parapet.operator.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.Severity;
import dev.parapet.testing.CrudApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer against a CRUD API server: a user's labels and annotations survive spec updates,
 * status updates, resolve and reopen.
 */
class FindingWriterTriageTest {

  static final String SCOPE = FindingWriterRestartTest.SCOPE;

  CrudApiServer api;
  KubernetesClient client;
  FindingStore store;
  FindingWriter writer;

  @BeforeEach
  void start() {
    api = CrudApiServer.start();
    client = api.client();
    store = api.store();
    writer = api.writer();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  Finding stored(String name) {
    return client.resources(Finding.class).inNamespace("team-a").withName(name).get();
  }

  /** Waits until the store's view of the finding satisfies the condition. */
  void awaitObserved(String name, Predicate<Finding> condition) throws InterruptedException {
    for (var i = 0; i < 100; i++) {
      var seen =
          store.observed(SCOPE).stream()
              .filter(f -> f.getMetadata().getName().equals(name))
              .anyMatch(condition);
      if (seen) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the store never observed the expected state of " + name);
  }

  @Test
  void userLabelsSurviveSpecUpdateResolveAndReopen() throws InterruptedException {
    var original = FindingWriterRestartTest.desired(1).get(0);
    var name = original.name();
    assertThat(writer.sync(SCOPE, List.of(original), f -> false, 100).failedWrites()).isZero();
    assertThat(stored(name).getMetadata().getAnnotations())
        .containsAllEntriesOf(Finding.ARGOCD_ANNOTATIONS);

    client
        .resources(Finding.class)
        .inNamespace("team-a")
        .withName(name)
        .edit(
            f -> {
              f.getMetadata().getLabels().put(Finding.LABEL_OWNER, "team-net");
              f.getMetadata().getLabels().put(Finding.LABEL_TRIAGE, "acknowledged");
              f.getMetadata().getAnnotations().put("example.com/note", "ticket SEC-42");
              return f;
            });
    // The next scan comes after the store's overlay of our own writes has expired (a write inside
    // it would conflict on the resource version and be retried, never drop the labels).
    store.clearOverlay();
    awaitObserved(name, f -> f.getMetadata().getLabels().containsKey(Finding.LABEL_TRIAGE));

    // New evidence: a spec update (a full replace of the object).
    var changed =
        new DesiredFinding(
            original.namespace(),
            name,
            original.labels(),
            FindingPlannerTest.desired("sg-0", Severity.HIGH, "new evidence").spec(),
            original.owner(),
            null);
    var update = writer.sync(SCOPE, List.of(changed), f -> false, 100);
    assertThat(update.failedWrites()).isZero();
    assertThat(update.plan().specUpdates()).hasSize(1);
    var f = stored(name);
    assertThat(f.getSpec().message()).isEqualTo("new evidence");
    assertThat(f.getMetadata().getLabels())
        .containsEntry(Finding.LABEL_OWNER, "team-net")
        .containsEntry(Finding.LABEL_TRIAGE, "acknowledged")
        .containsAllEntriesOf(original.labels());
    assertThat(f.getMetadata().getAnnotations())
        .containsEntry("example.com/note", "ticket SEC-42")
        .containsAllEntriesOf(Finding.ARGOCD_ANNOTATIONS);

    assertThat(writer.sync(SCOPE, List.of(), f2 -> false, 100).failedWrites()).isZero();
    assertThat(stored(name).getStatus().state()).isEqualTo(FindingStatus.State.RESOLVED);
    assertThat(stored(name).getMetadata().getLabels())
        .containsEntry(Finding.LABEL_TRIAGE, "acknowledged");

    assertThat(writer.sync(SCOPE, List.of(changed), f2 -> false, 100).failedWrites()).isZero();
    f = stored(name);
    assertThat(f.getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    assertThat(f.getStatus().reopenCount()).isEqualTo(1);
    assertThat(f.getStatus().reopenedAt()).isNotNull();
    assertThat(f.getMetadata().getLabels())
        .containsAllEntriesOf(
            Map.of(Finding.LABEL_OWNER, "team-net", Finding.LABEL_TRIAGE, "acknowledged"));
    assertThat(f.getMetadata().getAnnotations()).containsKey("example.com/note");
  }
}
