package dev.parapet.operator.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.Severity;
import dev.parapet.testing.CrudApiServer;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An operator stopped mid-scan (some findings written, one created without its status) and a fresh
 * operator with a fresh cache: no duplicate, no lost finding, and the next rescan writes nothing.
 */
public class FindingWriterRestartTest {

  static final String SCOPE = FindingStore.accountScope("team-a", "acct");

  CrudApiServer api;
  KubernetesClient client;

  @BeforeEach
  void start() {
    api = CrudApiServer.start();
    client = api.client();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** {@code n} desired Findings of CloudAccount team-a/acct (security groups sg-0, sg-1...). */
  public static List<DesiredFinding> desired(int n) {
    var owner =
        new OwnerReferenceBuilder()
            .withApiVersion("parapet.dev/v1alpha1")
            .withKind("CloudAccount")
            .withName("acct")
            .withUid("uid-1")
            .withController(true)
            .build();
    return IntStream.range(0, n)
        .mapToObj(
            i -> {
              var d =
                  FindingPlannerTest.desired(
                      "sg-" + i, i % 2 == 0 ? Severity.HIGH : Severity.MEDIUM, "evidence " + i);
              return new DesiredFinding(
                  "team-a",
                  FindingNames.name(d.spec().rule().id(), "123456789012/eu-west-1/sg-" + i + "#"),
                  d.labels(),
                  d.spec(),
                  owner,
                  null);
            })
        .toList();
  }

  @Test
  void restartMidScanLosesAndDuplicatesNothing() {
    var all = desired(6);
    var first = new FindingStore(client);
    var writer1 =
        new FindingWriter(client, first, FindingWriter.Options.unfenced(Duration.ofDays(7)));
    writer1.sync(SCOPE, all.subList(0, 3), f -> false, 100);
    // Crash between the create of the 4th finding and its status write.
    client.resource(FindingPlanner.toFinding(all.get(3))).create();
    first.stop();
    var before =
        new ArrayList<>(client.resources(Finding.class).inNamespace("team-a").list().getItems());
    assertThat(before).hasSize(4);

    var second = new FindingStore(client);
    var writer2 =
        new FindingWriter(client, second, FindingWriter.Options.unfenced(Duration.ofDays(7)));
    // The restarted scan sees the same results; the first three were also part of them.
    var result = writer2.sync(SCOPE, all, f -> false, 100);
    assertThat(result.failedWrites()).isZero();
    var after = client.resources(Finding.class).inNamespace("team-a").list().getItems();
    assertThat(after)
        .extracting(f -> f.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(all.stream().map(DesiredFinding::name).toList());
    assertThat(after)
        .allSatisfy(f -> assertThat(f.getStatus().state()).isEqualTo(FindingStatus.State.OPEN));
    for (var b : before.subList(0, 3)) {
      var now =
          after.stream()
              .filter(f -> f.getMetadata().getName().equals(b.getMetadata().getName()))
              .findFirst()
              .orElseThrow();
      if (b.getStatus() != null) {
        assertThat(now.getMetadata().getResourceVersion())
            .isEqualTo(b.getMetadata().getResourceVersion());
      }
    }
    // 2 findings created (create + status) and 1 status completed
    assertThat(result.writes()).isEqualTo(5);

    var third = new FindingStore(client);
    var again =
        new FindingWriter(client, third, FindingWriter.Options.unfenced(Duration.ofDays(7)))
            .sync(SCOPE, all, f -> false, 100);
    assertThat(again.writes()).isZero();
    assertThat(again.plan().counts().high() + again.plan().counts().medium()).isEqualTo(6);
    second.stop();
    third.stop();
  }

  @Test
  void writerMarksOwnWritesSoAnImmediateRescanDoesNotRewrite() {
    var store = new FindingStore(client);
    var writer =
        new FindingWriter(client, store, FindingWriter.Options.unfenced(Duration.ofDays(7)));
    var all = desired(3);
    assertThat(writer.sync(SCOPE, all, f -> false, 100).writes()).isEqualTo(6);
    assertThat(writer.sync(SCOPE, all, f -> false, 100).writes()).isZero();
    assertThat(writer.deleteAll(SCOPE)).isEqualTo(3);
    assertThat(client.resources(Finding.class).inNamespace("team-a").list().getItems()).isEmpty();
    store.stop();
  }

  @Test
  void aFindingDeletedBetweenPlanAndWriteIsNotAFailedWrite() {
    var store = new FindingStore(client);
    var writer =
        new FindingWriter(client, store, FindingWriter.Options.unfenced(Duration.ofDays(7)));
    var all = desired(3);
    writer.sync(SCOPE, all, f -> false, 100);
    // The cache stops seeing deletions: as when the garbage collector removes a Finding (its
    // workload went away) after the plan was made and before the write.
    store.stop();
    client.resources(Finding.class).inNamespace("team-a").withName(all.get(0).name()).delete();
    var result = writer.sync(SCOPE, all.subList(1, 3), f -> false, 100);
    assertThat(result.plan().statusUpdates())
        .extracting(f -> f.getMetadata().getName())
        .contains(all.get(0).name());
    assertThat(result.failedWrites()).isZero();
  }
}
