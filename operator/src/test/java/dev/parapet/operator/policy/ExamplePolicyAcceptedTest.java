package dev.parapet.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.scan.EngineRuleCatalog;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** examples/posturepolicy.yaml names only real rule ids and passes the operator's validation. */
class ExamplePolicyAcceptedTest {

  @Test
  void examplePolicyIsAccepted() throws Exception {
    var root = Path.of(System.getProperty("parapet.repo.root", ".."));
    var policy =
        new ObjectMapper(new YAMLFactory())
            .readValue(root.resolve("examples/posturepolicy.yaml").toFile(), PosturePolicy.class);
    try (var clients = new AwsClientFactory(ClientSettings.defaults())) {
      var catalog = new EngineRuleCatalog(new ScanEngine(clients)).rules();
      var problems =
          PolicyMerger.validator(catalog).validate(policy.getSpec(), Instant.now(), true);
      assertThat(problems).isEmpty();
      var ids = catalog.stream().map(r -> r.id()).toList();
      assertThat(ids).containsAll(policy.getSpec().cloud().severityOverrides().keySet());
      assertThat(ids).containsAll(policy.getSpec().admission().ruleEnforcement().keySet());
      policy.getSpec().exceptions().forEach(e -> assertThat(ids).containsAll(e.rules()));
    }
  }
}
