package dev.parapet.webhook;

import dev.parapet.webhook.policy.PolicyFile;
import dev.parapet.webhook.policy.PolicySet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DumpTest {
  @Test
  void dump() throws Exception {
    var set = PolicySet.of(PolicyFile.load(Path.of("src/test/resources/admission/policies.yaml")));
    var h =
        new AdmissionHandler(
            () -> set,
            ns -> Map.of("kubernetes.io/metadata.name", ns),
            "parapet-system",
            3 << 20,
            (a, b, c, d) -> {},
            Clock.systemUTC());
    try (var files = Files.walk(Path.of("src/test/resources/admission"))) {
      for (var f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        var r = h.validate(Files.readAllBytes(f));
        System.out.println(
            "### "
                + f
                + " -> "
                + r.status()
                + " "
                + r.kind()
                + " "
                + r.decision()
                + "\n"
                + new String(r.body()));
      }
    }
  }
}
