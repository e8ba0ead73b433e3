package dev.parapet.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/** Quarkus test profile that replaces the AWS engine with {@link ScriptedScanner}. */
public class ScriptedScannerProfile implements QuarkusTestProfile {

  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    return Set.of(ScriptedScanner.class, TestCatalog.class);
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("parapet.audit.enabled", "false");
  }
}
