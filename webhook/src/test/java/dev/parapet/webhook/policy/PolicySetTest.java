package dev.parapet.webhook.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.webhook.Fixtures;
import dev.parapet.webhook.Waiver;
import dev.parapet.webhook.WorkloadReview;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicySetTest {
  static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");

  static AdmissionPolicy named(String name, String yaml) {
    return PolicyFile.parse(
            "apiVersion: parapet.dev/v1alpha1\nkind: PosturePolicy\nmetadata:\n  name: "
                + name
                + "\nspec:\n"
                + yaml.indent(2),
            "t")
        .get(0);
  }

  static WorkloadReview podWithPorts(int... ports) {
    var c = new ContainerBuilder(Fixtures.container("web"));
    for (int p : ports) {
      c.addToPorts(new ContainerPortBuilder().withContainerPort(p).build());
    }
    return WorkloadReview.of(Fixtures.pod(c.build()));
  }

  @Test
  void kubeSystemAndOwnNamespaceAreAlwaysExempt() {
    var set = PolicySet.of(List.of(named("a", "admission: {}")));
    assertThat(set.select("kube-system", Map.of(), "parapet-system")).isEmpty();
    assertThat(set.select("parapet-system", Map.of(), "parapet-system")).isEmpty();
    assertThat(set.select("team-a", Map.of(), "parapet-system")).hasSize(1);
    assertThat(PolicySet.defaults().select("kube-system", Map.of(), "x")).isEmpty();
  }

  @Test
  void selectsBySelectorAndExclusionList() {
    var a =
        named(
            "a",
            "admission:\n  namespaceSelector:\n    matchLabels: {env: prod}\n  excludedNamespaces: [legacy]");
    var set = PolicySet.of(List.of(a));
    assertThat(set.select("web", Map.of("env", "prod"), "p")).containsExactly(a);
    assertThat(set.select("legacy", Map.of("env", "prod"), "p")).isEmpty();
    assertThat(set.select("web", Map.of("env", "dev"), "p")).isEmpty();
  }

  @Test
  void theSameViolationFromTwoPoliciesTakesTheStrictestEnforcement() {
    var warn = named("warn", "admission:\n  enforcement: Warn\n  forbiddenPorts: [{port: 22}]");
    var deny = named("deny", "admission:\n  enforcement: Deny\n  forbiddenPorts: [{port: 22}]");
    var v = PolicySet.evaluate(podWithPorts(22), List.of(warn, deny), NOW);
    assertThat(v).hasSize(1);
    assertThat(v.get(0).enforcement()).isEqualTo(Enforcement.DENY);
    assertThat(v.get(0).policy()).isEqualTo("warn,deny");
  }

  @Test
  void listsActAsAUnionEachWithItsOwnEnforcement() {
    var warn = named("warn", "admission:\n  enforcement: Warn\n  forbiddenPorts: [{port: 22}]");
    var deny = named("deny", "admission:\n  enforcement: Deny\n  forbiddenPorts: [{port: 23}]");
    var v = PolicySet.evaluate(podWithPorts(22, 23), List.of(warn, deny), NOW);
    assertThat(v)
        .extracting(x -> x.fieldPath() + " " + x.enforcement() + " " + x.policy())
        .containsExactlyInAnyOrder(
            "spec.containers[0].ports[0] WARN warn", "spec.containers[0].ports[1] DENY deny");
  }

  @Test
  void anExceptionWaivesOnlyItsOwnPolicysViolation() {
    var excepted =
        named(
            "excepted",
            "admission:\n  forbiddenPorts: [{port: 22}]\nexceptions:\n  - match: {names: [web]}\n    reason: r");
    var strict = named("strict", "admission:\n  enforcement: Warn\n  forbiddenPorts: [{port: 22}]");
    var both = PolicySet.evaluate(podWithPorts(22), List.of(excepted, strict), NOW);
    assertThat(both).hasSize(1);
    assertThat(both.get(0).exceptedBy()).isNull();
    assertThat(both.get(0).policy()).isEqualTo("strict");
    var alone = PolicySet.evaluate(podWithPorts(22), List.of(excepted), NOW);
    // An unnamed exception is named by its index, as the operator names it in status.
    assertThat(alone)
        .extracting(x -> x.exceptedBy())
        .containsExactly(new Waiver("exceptions[0]", "r", null));
  }

  @Test
  void aWaivedViolationCarriesTheExceptionsNameReasonAndExpiry() {
    var p =
        named(
            "p",
            "admission:\n  forbiddenPorts: [{port: 22}]\nexceptions:\n"
                + "  - name: other\n    match: {names: [db]}\n    reason: not this one\n"
                + "  - name: ssh-debug\n    match: {names: [web]}\n    reason: debugging\n"
                + "    expiresAt: \"2026-12-01T00:00:00Z\"");
    var v = PolicySet.evaluate(podWithPorts(22), List.of(p), NOW);
    assertThat(v).singleElement().extracting(x -> x.policy()).isEqualTo("p");
    assertThat(v.get(0).exceptedBy())
        .isEqualTo(new Waiver("ssh-debug", "debugging", Instant.parse("2026-12-01T00:00:00Z")));
  }

  @Test
  void expiredExceptionsNoLongerApply() {
    var p =
        named(
            "p",
            "admission:\n  forbiddenPorts: [{port: 22}]\nexceptions:\n  - match: {names: [web]}\n    reason: r\n    expiresAt: \"2026-01-01T00:00:00Z\"");
    assertThat(PolicySet.evaluate(podWithPorts(22), List.of(p), NOW))
        .extracting(x -> x.exceptedBy())
        .containsExactly((Waiver) null);
  }
}
