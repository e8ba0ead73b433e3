package dev.parapet.operator.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatus;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

  @Test
  void aCrdJustCreatedIsNotYetEstablishedAndDoesNotFailTheWait() {
    // What a real API server returns in the first watch event: a status, no conditions yet.
    var status = new CustomResourceDefinitionStatus();
    status.setConditions(null);
    var crd =
        new CustomResourceDefinitionBuilder().withNewMetadata().withName("x").endMetadata().build();
    assertFalse(DemoCommand.established(null));
    assertFalse(DemoCommand.established(crd));
    crd.setStatus(status);
    assertFalse(DemoCommand.established(crd));
  }

  @Test
  void establishedOnlyWhenTheConditionIsTrue() {
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewStatus()
            .addNewCondition()
            .withType("NamesAccepted")
            .withStatus("True")
            .endCondition()
            .addNewCondition()
            .withType("Established")
            .withStatus("False")
            .endCondition()
            .endStatus()
            .build();
    assertFalse(DemoCommand.established(crd));
    crd.getStatus().getConditions().get(1).setStatus("True");
    assertTrue(DemoCommand.established(crd));
  }

  @Test
  void theDemosMockTakesAnApplyPatchAsAMergePatchOfTheSameDocument() {
    var server =
        new io.fabric8.kubernetes.client.server.mock.KubernetesMockServer(
            new io.fabric8.mockwebserver.Context(),
            new io.fabric8.mockwebserver.MockWebServer(),
            new java.util.HashMap<>(),
            new ApplyAsMergePatch(),
            false);
    server.init(java.net.InetAddress.getLoopbackAddress(), 0);
    try (var client = server.createClient()) {
      client
          .configMaps()
          .inNamespace("demo")
          .resource(
              new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("cm")
                  .endMetadata()
                  .addToData("kept", "1")
                  .build())
          .create();
      var applied =
          client
              .configMaps()
              .inNamespace("demo")
              .resource(
                  new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                      .withNewMetadata()
                      .withName("cm")
                      .withNamespace("demo")
                      .endMetadata()
                      .addToData("added", "2")
                      .build())
              .fieldManager("parapet")
              .forceConflicts()
              .serverSideApply();
      org.assertj.core.api.Assertions.assertThat(applied.getData())
          .containsEntry("kept", "1")
          .containsEntry("added", "2");
    } finally {
      server.destroy();
    }
  }

  @Test
  void anApplyDocumentIsMergedIntoTheStoredObject() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var current =
        json.readTree(
            """
            {"metadata": {"name": "a", "resourceVersion": "7", "finalizers": ["x"]},
             "spec": {"regions": ["us-east-1"]},
             "status": {"observedGeneration": 1, "lastScan": {"apiCalls": 3},
                        "conditions": [{"type": "Ready", "status": "Unknown"}]}}
            """);
    var merged =
        ApplyAsMergePatch.asUpdate(
            current,
            """
            status:
              observedGeneration: 2
              conditions:
              - {type: Ready, status: "True"}
            """);
    org.assertj.core.api.Assertions.assertThat(merged.at("/status/observedGeneration").asInt())
        .isEqualTo(2);
    org.assertj.core.api.Assertions.assertThat(merged.at("/status/conditions")).hasSize(1);
    org.assertj.core.api.Assertions.assertThat(merged.at("/status/conditions/0/status").asText())
        .isEqualTo("True");
    // Not apply semantics (partial, documented): a field the applier left out is kept.
    org.assertj.core.api.Assertions.assertThat(merged.at("/status/lastScan/apiCalls").asInt())
        .isEqualTo(3);
    org.assertj.core.api.Assertions.assertThat(merged.at("/metadata/resourceVersion").asText())
        .isEqualTo("7");
    org.assertj.core.api.Assertions.assertThat(merged.at("/spec/regions/0").asText())
        .isEqualTo("us-east-1");
    org.assertj.core.api.Assertions.assertThat(current.at("/status/observedGeneration").asInt())
        .as("the stored object is not changed in place")
        .isEqualTo(1);
  }
}
