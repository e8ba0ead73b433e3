package dev.parapet.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The operator's application.properties (the packaged file, not a copy) gives the controller role
 * no admission policy watch and so no admission warm-up, while an explicit setting (the chart's
 * PARAPET_WEBHOOK_WATCH_CLUSTER, or a system property) still wins.
 */
class RoleDefaultsTest {

  static SmallRyeConfig config(Map<String, String> overrides) throws IOException {
    var file = RoleDefaultsTest.class.getClassLoader().getResource("application.properties");
    assertThat(file).isNotNull();
    return new SmallRyeConfigBuilder()
        // Expressions (${...}) expanded as in the application.
        .addDefaultInterceptors()
        .withSources(new PropertiesConfigSource(file, 250))
        // Ordinal 400 as system properties and above the file, as the variable (300) would be.
        .withSources(new PropertiesConfigSource(overrides, "overrides", 400))
        .build();
  }

  @ParameterizedTest
  @CsvSource({
    "controller, , false",
    "webhook, , true",
    "all, , true",
    "CONTROLLER, , true",
    "controller, true, true",
    "webhook, false, false",
  })
  void theAdmissionWatchFollowsTheRoleUnlessSet(String role, String explicit, boolean expected)
      throws IOException {
    var overrides = new java.util.HashMap<String, String>();
    overrides.put("parapet.role", role);
    if (explicit != null) {
      overrides.put("parapet.webhook.watch-cluster", explicit);
    }
    assertThat(config(overrides).getValue("parapet.webhook.watch-cluster", Boolean.class))
        .as("role %s, explicit %s", role, explicit)
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"PARAPET_ROLE, controller, false", "PARAPET_ROLE, webhook, true"})
  void theRoleVariableAloneDecides(String variable, String role, boolean expected)
      throws IOException {
    // parapet.role=${PARAPET_ROLE:all}: the variable, as the image's users set it, drives the rest.
    assertThat(
            config(Map.of(variable, role)).getValue("parapet.webhook.watch-cluster", Boolean.class))
        .isEqualTo(expected);
  }
}
