package dev.parapet.webhook.rules.pss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.api.v1alpha1.PodSecurityLevel;
import dev.parapet.webhook.Fixtures;
import dev.parapet.webhook.Violation;
import dev.parapet.webhook.WorkloadEvaluator;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.budget.Deadline;
import dev.parapet.webhook.budget.NotFullyChecked;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.policy.PolicyFile;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodSecurityRulesTest {
  static final List<Pod> FIXTURES = PodSecurityFixtures.load();

  static Set<String> pss(HasMetadata o, AdmissionPolicy p) {
    return Fixtures.evaluate(o, p).stream()
        .map(v -> v.rule().id())
        .filter(id -> id.startsWith("pss-"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static AdmissionPolicy level(String level) {
    return Fixtures.policy("podSecurityLevel: " + level);
  }

  static Stream<Arguments> fixtures() {
    return FIXTURES.stream().map(p -> Arguments.of(p.getMetadata().getName(), p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void everyFixtureGetsExactlyTheExpectedControlsAtEachLevel(String name, Pod pod) {
    assertThat(pss(pod, level("baseline")))
        .as("baseline")
        .isEqualTo(PodSecurityFixtures.expected(pod, PodSecurityFixtures.BASELINE));
    assertThat(pss(pod, level("restricted")))
        .as("restricted")
        .isEqualTo(PodSecurityFixtures.expected(pod, PodSecurityFixtures.RESTRICTED));
    assertThat(pss(pod, level("privileged"))).as("privileged").isEmpty();
    assertThat(pss(pod, Fixtures.policy(""))).as("no level").isEmpty();
  }

  @Test
  void theFixturesHaveAFailAndAPassForEveryControl() {
    var failed = new TreeSet<String>();
    for (var p : FIXTURES) {
      failed.addAll(PodSecurityFixtures.expected(p, PodSecurityFixtures.BASELINE));
      failed.addAll(PodSecurityFixtures.expected(p, PodSecurityFixtures.RESTRICTED));
    }
    var ids =
        PodSecurityControls.RULES.stream().map(r -> r.metadata().id()).collect(Collectors.toSet());
    assertThat(failed).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(PodSecurityControls.RULES).hasSize(18);
    assertThat(
            PodSecurityControls.RULES.stream().filter(r -> r.level() == PodSecurityLevel.BASELINE))
        .hasSize(12);
    // A pass for each control: a fixture named <control>-pass (or one that sets the control's
    // fields to allowed values) passing restricted; several are checked by name.
    var passing =
        FIXTURES.stream()
            .filter(p -> PodSecurityFixtures.expected(p, PodSecurityFixtures.RESTRICTED).isEmpty())
            .map(p -> p.getMetadata().getName())
            .toList();
    assertThat(passing)
        .contains(
            "compliant",
            "host-process-pass",
            "host-namespaces-pass",
            "privileged-pass",
            "capabilities-pass",
            "host-ports-pass",
            "host-probes-pass",
            "apparmor-pass",
            "selinux-pass",
            "proc-mount-pass",
            "seccomp-container-pass",
            "sysctls-pass",
            "volume-types-pass",
            "run-as-non-root-container-pass",
            "run-as-user-pass",
            "windows-restricted-pass");
  }

  @Test
  void podTemplatesAreCheckedWithTheirPathsAndTemplateAnnotations() {
    var pod = byName("apparmor-annotation-fail");
    var d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("api")
            .withNamespace("prod")
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withNewMetadata()
            .withAnnotations(pod.getMetadata().getAnnotations())
            .endMetadata()
            .withSpec(byName("privileged-fail").getSpec())
            .endTemplate()
            .endSpec()
            .build();
    var v = Fixtures.evaluate(d, level("baseline"));
    assertThat(v)
        .extracting(Violation::fieldPath)
        .contains(
            "spec.template.spec.containers[0].securityContext.privileged",
            "spec.template.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app']");
  }

  @Test
  void ephemeralContainersAreChecked() {
    var pod =
        new PodBuilder(byName("compliant"))
            .editSpec()
            .addToEphemeralContainers(
                new EphemeralContainerBuilder()
                    .withName("debug")
                    .withImage("registry.example/debug:1")
                    .withNewSecurityContext()
                    .withPrivileged(true)
                    .endSecurityContext()
                    .build())
            .endSpec()
            .build();
    var v = Fixtures.evaluate(pod, level("restricted"));
    assertThat(v)
        .filteredOn(x -> x.rule().id().equals("pss-baseline-privileged"))
        .extracting(Violation::fieldPath)
        .containsExactly("spec.ephemeralContainers[0].securityContext.privileged");
    assertThat(v)
        .filteredOn(x -> x.rule().id().equals("pss-baseline-privileged"))
        .extracting(Violation::message)
        .containsExactly(
            "Pod compliant: container \"debug\" (spec.ephemeralContainers[0].securityContext"
                + ".privileged) sets privileged: true (Pod Security Standards baseline: Privileged"
                + " Containers) [rule pss-baseline-privileged, policy test]: remove"
                + " securityContext.privileged or set it to false");
  }

  @Test
  void excludingTheRestrictedVariantBringsBackTheBaselineOne() {
    var pod = byName("capabilities-fail");
    var p =
        Fixtures.policy(
            "podSecurityLevel: restricted\nrules:\n  exclude: [pss-restricted-capabilities]");
    assertThat(pss(pod, p)).containsExactly("pss-baseline-capabilities");
  }

  @Test
  void enforcementExceptionsAndPerRuleOverridesApply() {
    var pod =
        new PodBuilder(byName("host-ports-fail"))
            .editMetadata()
            .withNamespace("prod")
            .endMetadata()
            .build();
    var p =
        Fixtures.policy(
            "enforcement: Deny\npodSecurityLevel: baseline\nruleEnforcement:\n  pss-baseline-host-ports: Warn");
    var v = Fixtures.evaluate(pod, p);
    assertThat(v).extracting(x -> x.enforcement().wireValue()).containsExactly("Warn");
    var withException =
        PolicyFile.parse(
                """
                apiVersion: parapet.dev/v1alpha1
                kind: PosturePolicy
                metadata:
                  name: test
                spec:
                  admission:
                    podSecurityLevel: baseline
                  exceptions:
                    - name: ingress-hostport
                      rules: [pss-baseline-host-*]
                      match:
                        namespaces: [prod]
                      reason: the ingress controller binds host ports
                """,
                "test")
            .get(0);
    assertThat(Fixtures.evaluate(pod, withException))
        .extracting(x -> x.exceptedBy() == null ? null : x.exceptedBy().name())
        .containsExactly("ingress-hostport");
  }

  @Test
  void anExpiredBudgetIsNotFullyCheckedNeverClean() {
    var pod = byName("everything-fail");
    var expired = Deadline.of(1, 0, () -> 10_000_000L);
    assertThatThrownBy(
            () ->
                WorkloadEvaluator.evaluate(
                    WorkloadReview.of(pod, expired), level("restricted"), Instant.now()))
        .isInstanceOf(NotFullyChecked.class);
  }

  @Test
  void workIsLinearInTheNumberOfContainers() {
    // Each container violates four restricted controls: the violations grow with the containers
    // one for one (no pairwise work), and a 20x larger pod takes far less than 20x squared.
    long small = time(500);
    long large = time(10_000);
    assertThat(count(10_000)).isEqualTo(20 * count(500));
    assertThat(large).isLessThan(small * 20 * 8 + 200_000_000L);
  }

  private static int count(int n) {
    return Fixtures.evaluate(wide(n), level("restricted")).size();
  }

  private static long time(int n) {
    var pod = wide(n);
    var p = level("restricted");
    Fixtures.evaluate(pod, p);
    long t = System.nanoTime();
    Fixtures.evaluate(pod, p);
    return System.nanoTime() - t;
  }

  private static Pod wide(int n) {
    var cs = new ArrayList<io.fabric8.kubernetes.api.model.Container>();
    for (int i = 0; i < n; i++) {
      cs.add(new ContainerBuilder().withName("c" + i).withImage("registry.example/app:1").build());
    }
    return Fixtures.pod(cs.toArray(io.fabric8.kubernetes.api.model.Container[]::new));
  }

  private static Pod byName(String name) {
    return FIXTURES.stream()
        .filter(p -> p.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
