package dev.parapet.e2e.chart;

import static dev.parapet.e2e.chart.ChartSupport.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * `helm lint --strict` on the defaults and on the value combinations users are expected to pick.
 */
class ChartLintTest {

  static Stream<Arguments> combinations() {
    return Stream.of(
        Arguments.of("cert-manager", values("webhook.tls.mode", "certManager")),
        Arguments.of(
            "cert-manager with a ClusterIssuer",
            values(
                "webhook.tls.mode",
                "certManager",
                "webhook.tls.certManager.issuerRef",
                Map.of("name", "corp-ca", "kind", "ClusterIssuer"))),
        Arguments.of(
            "provided Secret",
            values(
                "webhook.tls.mode", "secret",
                "webhook.tls.secret.name", "corp-webhook-tls",
                "webhook.tls.secret.caBundle", "Zm9v")),
        Arguments.of("ServiceMonitor", values("metrics.serviceMonitor.enabled", true)),
        Arguments.of(
            "IRSA",
            values(
                "controller.irsa.roleArn", "arn:aws:iam::123456789012:role/parapet-controller",
                "controller.aws.region", "us-east-1")),
        Arguments.of("failurePolicy Fail", values("webhook.failurePolicy", "Fail")),
        Arguments.of(
            "one webhook replica, no matchConditions",
            values("webhook.replicas", 1, "webhook.matchConditions.enabled", false)),
        Arguments.of(
            "extra namespaces and conditions",
            values(
                "webhook.excludedNamespaces", List.of("monitoring", "argocd"),
                "webhook.matchConditions.extra",
                    List.of(
                        Map.of(
                            "name", "skip-dry-run-bots",
                            "expression",
                                "request.userInfo.username != 'system:serviceaccount:ci:bot'")),
                "controller.rbac.secretNamespaces", List.of("team-a"))),
        Arguments.of(
            "pinned digest",
            values(
                "image.digest",
                "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")));
  }

  @Test
  void defaultValuesPassStrictLint() {
    var result = ChartSupport.lintStrict(Map.of());
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void combinationsPassStrictLint(String name, Map<String, Object> overrides) {
    var result = ChartSupport.lintStrict(overrides);
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void strictLintCatchesABrokenChart() {
    // Guards the lint assertions above: a bad value must make this same path fail.
    var result = ChartSupport.lintStrict(values("webhook.failurePolicy", "Sometimes"));
    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains("webhook.failurePolicy");
  }
}
