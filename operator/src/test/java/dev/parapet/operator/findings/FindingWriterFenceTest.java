package dev.parapet.operator.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.operator.shard.WriteFence;
import dev.parapet.testing.CrudApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's other account writes ({@code annotate}, {@code recordRemediations}, {@code
 * deleteAll}) go through the same {@link WriteFence} as {@code sync}: asked once per call, and a
 * fenced call throws before it writes anything. Each call is then repeated while the fence holds,
 * to show the same call does write.
 */
class FindingWriterFenceTest {

  private static final String SCOPE = FindingWriterRestartTest.SCOPE;

  private CrudApiServer api;
  private KubernetesClient client;
  private FindingStore store;
  private final AtomicBoolean holds = new AtomicBoolean(true);
  private final AtomicInteger asked = new AtomicInteger();
  private FindingWriter writer;

  @BeforeEach
  void start() {
    api = CrudApiServer.start();
    client = api.client();
    store = api.store();
    WriteFence fence =
        (namespace, name) -> {
          asked.incrementAndGet();
          assertThat(namespace + "/" + name).isEqualTo("team-a/acct");
          return holds.get();
        };
    writer = new FindingWriter(client, store, new FindingWriter.Options(Duration.ofDays(7), fence));
    assertThat(writer.sync(SCOPE, FindingWriterRestartTest.desired(3), f -> false, 100).writes())
        .isEqualTo(6);
    asked.set(0);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aFencedAnnotateWritesNothingAndAskedOnceForTheBatch() {
    var marks =
        store.observed(SCOPE).stream()
            .map(f -> new FindingWriter.Annotations(f, Map.of("parapet.dev/test-mark", "1")))
            .toList();
    holds.set(false);
    assertThat(writer.annotate(SCOPE, List.of())).as("nothing to write, nothing asked").isZero();
    assertThat(asked).hasValue(0);
    assertThatThrownBy(() -> writer.annotate(SCOPE, marks))
        .isInstanceOf(WriteFence.Fenced.class)
        .hasMessageContaining("team-a/acct");
    assertThat(asked).hasValue(1);
    assertThat(onServer()).allSatisfy(f -> assertThat(marked(f)).isFalse());

    holds.set(true);
    assertThat(writer.annotate(SCOPE, marks)).isEqualTo(3);
    assertThat(asked).hasValue(2);
    assertThat(onServer()).hasSize(3).allSatisfy(f -> assertThat(marked(f)).isTrue());
  }

  @Test
  void annotatingAFindingOfAnotherScopeIsRefusedBeforeAnyWrite() {
    var mine = store.observed(SCOPE);
    // A copy of one of them owned by another CloudAccount (the cache's objects stay as they are).
    var first = mine.get(0);
    var other = new Finding();
    other.setMetadata(
        new ObjectMetaBuilder(first.getMetadata())
            .withOwnerReferences(
                new OwnerReferenceBuilder(first.getMetadata().getOwnerReferences().get(0))
                    .withName("another-acct")
                    .build())
            .build());
    other.setSpec(first.getSpec());
    other.setStatus(first.getStatus());
    var marks =
        java.util.stream.Stream.concat(mine.stream().skip(1), java.util.stream.Stream.of(other))
            .map(f -> new FindingWriter.Annotations(f, Map.of("parapet.dev/test-mark", "1")))
            .toList();
    assertThatThrownBy(() -> writer.annotate(SCOPE, marks))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aws/team-a/another-acct");
    assertThat(onServer()).allSatisfy(f -> assertThat(marked(f)).isFalse());
  }

  @Test
  void aFencedRemediationRecordWritesNothing() {
    var names = store.observed(SCOPE).stream().map(f -> f.getMetadata().getName()).toList();
    var record =
        new FindingStatus.Remediation(
            "DryRun",
            "ec2-revoke-ssh-ingress",
            FindingStatus.RemediationState.PLANNED,
            "ec2:RevokeSecurityGroupIngress {}",
            null,
            null,
            "2026-12-07T12:00:00Z",
            null,
            0);
    var records = Map.of(names.get(0), record, names.get(1), record);
    holds.set(false);
    assertThatThrownBy(() -> writer.recordRemediations(SCOPE, records))
        .isInstanceOf(WriteFence.Fenced.class);
    assertThat(asked).hasValue(1);
    assertThat(onServer()).allSatisfy(f -> assertThat(f.getStatus().remediation()).isNull());

    holds.set(true);
    assertThat(writer.recordRemediations(SCOPE, records)).isEqualTo(2);
    assertThat(asked).hasValue(2);
    assertThat(onServer())
        .filteredOn(f -> f.getStatus().remediation() != null)
        .extracting(f -> f.getMetadata().getName())
        .containsExactlyInAnyOrder(names.get(0), names.get(1));
  }

  @Test
  void aFencedDeleteAllDeletesNothing() {
    holds.set(false);
    assertThatThrownBy(() -> writer.deleteAll(SCOPE)).isInstanceOf(WriteFence.Fenced.class);
    assertThat(asked).hasValue(1);
    assertThat(onServer()).hasSize(3);

    holds.set(true);
    assertThat(writer.deleteAll(SCOPE)).isEqualTo(3);
    assertThat(onServer()).isEmpty();
  }

  private List<Finding> onServer() {
    return client.resources(Finding.class).inNamespace("team-a").list().getItems();
  }

  private static boolean marked(Finding f) {
    var annotations = f.getMetadata().getAnnotations();
    return annotations != null && "1".equals(annotations.get("parapet.dev/test-mark"));
  }
}
