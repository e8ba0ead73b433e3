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
}
