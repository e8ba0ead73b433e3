package dev.parapet.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart ships the build's CRDs, and its RBAC covers exactly the kinds each role needs. */
class ChartCrdsTest {

  @Test
  void chartShipsTheFourParapetCrds() throws IOException {
    assertThat(crds())
        .extracting(c -> c.getSpec().getNames().getKind())
        .containsExactlyInAnyOrder("CloudAccount", "PosturePolicy", "Finding", "AwsOrganization");
    assertThat(crds()).allSatisfy(c -> assertThat(c.getSpec().getGroup()).isEqualTo("parapet.dev"));
  }

  @Test
  void controllerRbacCoversEveryShippedCrdAndItsStatus() throws IOException {
    var rules =
        ChartSupport.render(Map.of()).one(ClusterRole.class, "parapet-controller").getRules();
    for (var crd : crds()) {
      var plural = crd.getSpec().getNames().getPlural();
      var verbs =
          rules.stream()
              .filter(r -> r.getApiGroups().contains("parapet.dev"))
              .filter(r -> r.getResources().contains(plural))
              .flatMap(r -> r.getVerbs().stream())
              .toList();
      assertThat(verbs).as(plural).contains("get", "list", "watch");
      var hasStatus =
          crd.getSpec().getVersions().stream()
              .anyMatch(
                  v -> v.getSubresources() != null && v.getSubresources().getStatus() != null);
      if (hasStatus) {
        var statusVerbs =
            rules.stream()
                .filter(r -> r.getResources().contains(plural + "/status"))
                .flatMap(r -> r.getVerbs().stream())
                .toList();
        assertThat(statusVerbs).as(plural + "/status").contains("patch");
      }
    }
  }

  private static List<CustomResourceDefinition> crds() throws IOException {
    var dir = ChartSupport.CHART.resolve("crds");
    assertThat(dir).as("helm/parapet/crds (copied by the crds module's build)").isDirectory();
    var out = new ArrayList<CustomResourceDefinition>();
    try (var files = Files.list(dir)) {
      for (var file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        out.add(Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class));
      }
    }
    return out;
  }
}
