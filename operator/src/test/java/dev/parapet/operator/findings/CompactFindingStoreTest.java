package dev.parapet.operator.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.testing.CrudApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 3: the store caches no whole Finding, and the writer still opens, updates, resolves
 * and leaves unchanged Findings alone with it; a spec changed by someone else is detected (the
 * store hashes what the server sends) and rewritten by the next sync.
 */
class CompactFindingStoreTest {

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

  Finding onServer(String name) {
    return client.resources(Finding.class).inNamespace("team-a").withName(name).get();
  }

  /**
   * Waits until the informer (not only the own-write overlay) has seen {@code rv} of {@code name}.
   */
  void awaitCached(String name, String rv) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                store.all().stream()
                    .anyMatch(
                        f ->
                            f.getMetadata().getName().equals(name)
                                && rv.equals(f.getMetadata().getResourceVersion())));
  }

  @Test
  void theCacheHoldsAProjectionWithTheHashOfTheServersSpec() {
    var all = FindingWriterRestartTest.desired(3);
    writer.sync(SCOPE, all, f -> false, 100);
    var d = all.get(0);
    var server0 = onServer(d.name());
    awaitCached(d.name(), server0.getMetadata().getResourceVersion());
    // On the server: the whole spec, and the hash of it as written.
    assertThat(server0.getSpec().message()).isNotBlank();
    assertThat(server0.getSpec().rule().title()).isNotBlank();
    assertThat(server0.getMetadata().getAnnotations())
        .containsEntry(FindingPlanner.SPEC_HASH, FindingPlanner.specHash(d.spec()))
        .containsAllEntriesOf(Finding.ARGOCD_ANNOTATIONS);
    // In the cache: no message, titles, remediation or compliance; identity and status kept (the
    // ARN too: see the activity test below).
    var cached =
        store.all().stream()
            .filter(f -> f.getMetadata().getName().equals(d.name()))
            .findFirst()
            .orElseThrow();
    assertThat(cached.getSpec().message()).isNull();
    assertThat(cached.getSpec().remediation()).isNull();
    assertThat(cached.getSpec().rule().title()).isNull();
    assertThat(cached.getSpec().rule().compliance()).isNull();
    assertThat(cached.getSpec().rule().id()).isEqualTo(d.spec().rule().id());
    assertThat(cached.getSpec().rule().severity()).isEqualTo(d.spec().rule().severity());
    assertThat(cached.getSpec().resource().region()).isEqualTo(d.spec().resource().region());
    assertThat(cached.getStatus()).isEqualTo(server0.getStatus());
    assertThat(cached.getMetadata().getLabels()).isEqualTo(server0.getMetadata().getLabels());
    assertThat(cached.getMetadata().getOwnerReferences())
        .isEqualTo(server0.getMetadata().getOwnerReferences());
    assertThat(cached.getMetadata().getManagedFields()).isEmpty();
    // Readers that need the content read it from the server.
    assertThat(store.fetchNamespace("team-a"))
        .hasSize(3)
        .allSatisfy(f -> assertThat(f.getSpec().message()).isNotBlank());
    assertThat(store.fetch(SCOPE)).hasSize(3);
    assertThat(store.fetch(FindingStore.accountScope("team-a", "other"))).isEmpty();
  }

  @Test
  void anActivityFindingKeepsItsScopeArnAndEventTimeInTheProjection() {
    var d = FindingWriterRestartTest.desired(1).get(0);
    var spec = d.spec();
    var r = spec.resource();
    var f = new Finding();
    f.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withNamespace("team-a")
            .withName(d.name())
            .withOwnerReferences(d.owner())
            .build());
    f.setSpec(
        new FindingSpec(
            spec.source(),
            spec.rule(),
            new FindingSpec.Resource(
                r.type(),
                r.id(),
                "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0",
                r.accountId(),
                r.region(),
                null,
                null,
                null,
                null),
            spec.message(),
            spec.remediation(),
            FindingSpec.Category.ACTIVITY,
            new FindingSpec.Activity(
                "ev-1",
                "AuthorizeSecurityGroupIngress",
                "ec2.amazonaws.com",
                "2026-12-07T10:00:00Z",
                "arn:aws:iam::123456789012:user/alice",
                "IAMUser",
                "192.0.2.10")));
    var cached = CompactFindingItemStore.compact("team-a/" + d.name(), f).toFinding();
    // the scope decides whether a scan may resolve it: an activity finding must stay apart
    assertThat(FindingStore.scopeOf(cached))
        .isEqualTo(FindingStore.activityScope("team-a", "acct"))
        .isEqualTo(FindingStore.scopeOf(f));
    assertThat(cached.getSpec().resource().arn())
        .isEqualTo("arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0");
    assertThat(cached.getSpec().activity().eventTime()).isEqualTo("2026-12-07T10:00:00Z");
    assertThat(cached.getSpec().activity().eventId()).isEqualTo("ev-1");
    // the rest of the event (who, from where) is read from the server when needed
    assertThat(cached.getSpec().activity().principalArn()).isNull();
    assertThat(cached.getSpec().activity().sourceIp()).isNull();
  }

  @Test
  void theFindingsMetricCountsOverTheProjectionsAsOverWholeFindings() {
    var all = FindingWriterRestartTest.desired(3);
    writer.sync(SCOPE, all, f -> false, 100);
    // the third resolved, so two states are counted
    writer.sync(SCOPE, all.subList(0, 2), f -> false, 100);
    for (var d : all) {
      awaitCached(d.name(), onServer(d.name()).getMetadata().getResourceVersion());
    }
    var seen = new java.util.ArrayList<String>();
    store.forEachSpecAndStatus((spec, status) -> seen.add(spec.rule().id() + " " + status.state()));
    assertThat(seen)
        .containsExactlyInAnyOrderElementsOf(
            store.all().stream()
                .map(f -> f.getSpec().rule().id() + " " + f.getStatus().state())
                .toList())
        .hasSize(3)
        .anyMatch(s -> s.endsWith(" RESOLVED"));
    assertThat(store.namespaces()).containsExactly("team-a");

    var fromProjections = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    new dev.parapet.operator.metrics.ParapetMetrics(fromProjections)
        .refreshFindings(store::forEachSpecAndStatus);
    var fromWhole = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    new dev.parapet.operator.metrics.ParapetMetrics(fromWhole).refreshFindings(store.all());
    assertThat(gauges(fromProjections)).isEqualTo(gauges(fromWhole)).hasSizeBetween(2, 3);
    assertThat(gauges(fromProjections).values().stream().mapToDouble(Double::doubleValue).sum())
        .isEqualTo(3.0);
    assertThat(gauges(fromProjections).keySet()).anyMatch(k -> k.contains("state=Resolved"));
  }

  private static java.util.Map<String, Double> gauges(
      io.micrometer.core.instrument.MeterRegistry registry) {
    var out = new java.util.TreeMap<String, Double>();
    registry
        .find("parapet_findings")
        .gauges()
        .forEach(g -> out.put(g.getId().getTags().toString(), g.value()));
    return out;
  }

  @Test
  void opensUpdatesResolvesAndLeavesUnchangedFindingsAlone() {
    var all = FindingWriterRestartTest.desired(3);
    assertThat(writer.sync(SCOPE, all, f -> false, 100).writes()).isEqualTo(6);
    for (var d : all) {
      assertThat(onServer(d.name()).getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    }
    // Unchanged rescan, with the overlay forgotten and the informer's projections only.
    for (var d : all) {
      awaitCached(d.name(), onServer(d.name()).getMetadata().getResourceVersion());
    }
    store.clearOverlay();
    assertThat(writer.sync(SCOPE, all, f -> false, 100).writes()).isZero();

    // New evidence for the first: one spec update, no status write (still Open).
    var changed = withMessage(all.get(0), "evidence changed");
    var next = List.of(changed, all.get(1), all.get(2));
    var result = writer.sync(SCOPE, next, f -> false, 100);
    assertThat(result.plan().specUpdates()).hasSize(1);
    assertThat(result.plan().statusUpdates()).isEmpty();
    var updated = onServer(changed.name());
    assertThat(updated.getSpec().message()).isEqualTo("evidence changed");
    assertThat(updated.getSpec().rule().title()).isEqualTo(changed.spec().rule().title());
    assertThat(updated.getMetadata().getAnnotations())
        .containsEntry(FindingPlanner.SPEC_HASH, FindingPlanner.specHash(changed.spec()));

    // The third no longer fails: resolved through the status only; its whole spec stays.
    var before = onServer(all.get(2).name());
    result = writer.sync(SCOPE, next.subList(0, 2), f -> false, 100);
    assertThat(result.plan().statusUpdates()).hasSize(1);
    var resolved = onServer(all.get(2).name());
    assertThat(resolved.getStatus().state()).isEqualTo(FindingStatus.State.RESOLVED);
    assertThat(resolved.getSpec()).isEqualTo(before.getSpec());
    assertThat(resolved.getMetadata().getAnnotations())
        .isEqualTo(before.getMetadata().getAnnotations());

    // And a restart (a fresh store) finds nothing to write.
    for (var d : all) {
      awaitCached(d.name(), onServer(d.name()).getMetadata().getResourceVersion());
    }
    var fresh = new FindingStore(client);
    try {
      var again =
          new FindingWriter(client, fresh, FindingWriter.Options.unfenced(Duration.ofDays(7)))
              .sync(SCOPE, next.subList(0, 2), f -> false, 100);
      assertThat(again.writes()).isZero();
      assertThat(again.plan().counts().high() + again.plan().counts().medium()).isEqualTo(2);
    } finally {
      fresh.stop();
    }
  }

  @Test
  void aSpecChangedBySomeoneElseIsDetectedAndRepaired() {
    var all = FindingWriterRestartTest.desired(2);
    writer.sync(SCOPE, all, f -> false, 100);
    var d = all.get(0);
    // Someone edits the evidence and leaves the hash annotation as it was (it now lies).
    var edited =
        client
            .resources(Finding.class)
            .inNamespace("team-a")
            .withName(d.name())
            .edit(
                f -> {
                  f.setSpec(withMessage(d, "tampered").spec());
                  return f;
                });
    assertThat(edited.getMetadata().getAnnotations())
        .containsEntry(FindingPlanner.SPEC_HASH, FindingPlanner.specHash(d.spec()));
    awaitCached(d.name(), edited.getMetadata().getResourceVersion());
    store.clearOverlay();

    var result = writer.sync(SCOPE, all, f -> false, 100);
    assertThat(result.plan().specUpdates())
        .extracting(f -> f.getMetadata().getName())
        .containsExactly(d.name());
    assertThat(result.failedWrites()).isZero();
    assertThat(onServer(d.name()).getSpec().message()).isEqualTo(d.spec().message());
    assertThat(onServer(all.get(1).name()).getMetadata().getResourceVersion())
        .as("the untouched Finding is not rewritten")
        .isNotNull();
    assertThat(result.writes()).isEqualTo(1);
  }

  @Test
  void aWrongHashAnnotationAloneWritesNothing() {
    // The store hashes the content it receives: an annotation edited by hand is not trusted, and
    // the content being what the scan wants, nothing is written (the annotation is informative).
    var all = FindingWriterRestartTest.desired(1);
    writer.sync(SCOPE, all, f -> false, 100);
    var d = all.get(0);
    var edited =
        client
            .resources(Finding.class)
            .inNamespace("team-a")
            .withName(d.name())
            .edit(
                f -> {
                  f.getMetadata().getAnnotations().put(FindingPlanner.SPEC_HASH, "bogus");
                  return f;
                });
    awaitCached(d.name(), edited.getMetadata().getResourceVersion());
    store.clearOverlay();
    assertThat(writer.sync(SCOPE, all, f -> false, 100).writes()).isZero();
  }

  @Test
  void specHashIgnoresWhatTheWireOmits() {
    var d = FindingWriterRestartTest.desired(1).get(0);
    var spec = d.spec();
    var withEmptyCompliance =
        new FindingSpec(
            spec.source(),
            new FindingSpec.Rule(
                spec.rule().id(),
                spec.rule().title(),
                spec.rule().titleJa(),
                spec.rule().severity(),
                List.of()),
            spec.resource(),
            spec.message(),
            spec.remediation());
    var withoutCompliance =
        new FindingSpec(
            spec.source(),
            new FindingSpec.Rule(
                spec.rule().id(),
                spec.rule().title(),
                spec.rule().titleJa(),
                spec.rule().severity(),
                null),
            spec.resource(),
            spec.message(),
            spec.remediation());
    assertThat(FindingPlanner.specHash(withEmptyCompliance))
        .isEqualTo(FindingPlanner.specHash(withoutCompliance));
    assertThat(FindingPlanner.specHash(withMessage(d, "other").spec()))
        .isNotEqualTo(FindingPlanner.specHash(spec));
    assertThat(FindingPlanner.specHash(spec)).hasSize(22);
  }

  static DesiredFinding withMessage(DesiredFinding d, String message) {
    var s = d.spec();
    return new DesiredFinding(
        d.namespace(),
        d.name(),
        d.labels(),
        new FindingSpec(s.source(), s.rule(), s.resource(), message, s.remediation()),
        d.owner(),
        d.suppressedBy());
  }
}
