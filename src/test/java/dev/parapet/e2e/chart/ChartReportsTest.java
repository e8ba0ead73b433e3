package dev.parapet.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's reports values (issue 17): off by default, RBAC and env only when on, CRDs on ask.
 */
class ChartReportsTest {

  private static List<String> verbs(List<PolicyRule> rules, String group, String resource) {
    return rules.stream()
        .filter(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource))
        .flatMap(r -> r.getVerbs().stream())
        .toList();
  }

  @Test
  void offByDefaultWithNoReportRbacNoCrdAndTheWriterOff() {
    var rendered = ChartSupport.render(Map.of());
    var rules = rendered.one(ClusterRole.class, "parapet-controller").getRules();
    assertThat(verbs(rules, "openreports.io", "reports")).isEmpty();
    assertThat(verbs(rules, "wgpolicyk8s.io", "policyreports")).isEmpty();
    assertThat(rendered.all(CustomResourceDefinition.class)).isEmpty();
    assertThat(
            ChartSupport.chartEnv(
                rendered.one(Deployment.class, ChartController.NAME), "parapet-controller-0"))
        .containsEntry("PARAPET_REPORTS_ENABLED", "false");
  }

  @Test
  void enabledGrantsTheChosenApisOnlyAndPassesTheSettings() {
    var rendered =
        ChartSupport.render(
            ChartSupport.values(
                "reports.enabled",
                true,
                "reports.formats",
                List.of("policyreport"),
                "reports.debounce",
                "10s"));
    var rules = rendered.one(ClusterRole.class, "parapet-controller").getRules();
    assertThat(verbs(rules, "wgpolicyk8s.io", "policyreports"))
        .containsExactlyInAnyOrder("get", "list", "watch", "create", "update", "delete");
    assertThat(verbs(rules, "openreports.io", "reports")).isEmpty();
    assertThat(rendered.all(CustomResourceDefinition.class)).as("installCrds is off").isEmpty();
    assertThat(
            ChartSupport.chartEnv(
                rendered.one(Deployment.class, ChartController.NAME), "parapet-controller-0"))
        .containsEntry("PARAPET_REPORTS_ENABLED", "true")
        .containsEntry("PARAPET_REPORTS_FORMATS", "policyreport")
        .containsEntry("PARAPET_REPORTS_DEBOUNCE", "10s");
  }

  @Test
  void installCrdsRendersTheChosenCrdsKeptOnUninstall() {
    // helm template cannot look the cluster up, so it renders them; ReportsOnRealServerTest
    // checks that an install skips CRDs the cluster already has.
    var crds =
        ChartSupport.render(
                ChartSupport.values(
                    "reports.enabled", true,
                    "reports.installCrds", true,
                    "reports.formats", List.of("openreports", "policyreport")))
            .all(CustomResourceDefinition.class);
    assertThat(crds)
        .extracting(c -> c.getMetadata().getName())
        .containsExactlyInAnyOrder("reports.openreports.io", "policyreports.wgpolicyk8s.io");
    assertThat(crds)
        .allSatisfy(
            c -> {
              assertThat(c.getMetadata().getAnnotations())
                  .containsEntry("helm.sh/resource-policy", "keep");
              var results =
                  c.getSpec()
                      .getVersions()
                      .get(0)
                      .getSchema()
                      .getOpenAPIV3Schema()
                      .getProperties()
                      .get("results")
                      .getItems()
                      .getSchema()
                      .getProperties();
              assertThat(results)
                  .containsKeys(
                      "policy",
                      "rule",
                      "category",
                      "severity",
                      "result",
                      "message",
                      "properties",
                      "resources",
                      "timestamp");
            });
  }

  @Test
  void aCrdTheClusterHasIsNotTakenOverButOneThisReleaseInstalledStays() {
    var values =
        ChartSupport.values(
            "reports.enabled", true,
            "reports.installCrds", true,
            "reports.formats", List.of("openreports", "policyreport"));
    var api = ChartSupport.api();
    try {
      // Kyverno's (or anyone's) PolicyReport CRD: left alone.
      api.putCrd(
          "policyreports.wgpolicyk8s.io",
          "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
              + "\"metadata\":{\"name\":\"policyreports.wgpolicyk8s.io\","
              + "\"annotations\":{\"meta.helm.sh/release-name\":\"kyverno\","
              + "\"meta.helm.sh/release-namespace\":\"kyverno\"}}}");
      // The Report CRD this release installed before: rendered again, so an upgrade keeps it.
      api.putCrd(
          "reports.openreports.io",
          "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
              + "\"metadata\":{\"name\":\"reports.openreports.io\","
              + "\"annotations\":{\"meta.helm.sh/release-name\":\"parapet\","
              + "\"meta.helm.sh/release-namespace\":\""
              + ChartSupport.NAMESPACE
              + "\"}}}");
      var crds = ChartSupport.render(values).all(CustomResourceDefinition.class);
      assertThat(crds)
          .extracting(c -> c.getMetadata().getName())
          .containsExactly("reports.openreports.io");
      assertThat(api.requests())
          .contains(
              "GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions/policyreports.wgpolicyk8s.io");
    } finally {
      api.clear();
    }
  }

  @Test
  void anUnknownFormatIsRejected() {
    assertThatThrownBy(
            () ->
                ChartSupport.template(
                    ChartSupport.NAMESPACE,
                    ChartSupport.values(
                        "reports.enabled", true, "reports.formats", List.of("sarif"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reports.formats");
  }
}
