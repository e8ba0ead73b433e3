package dev.parapet.testing;

import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.scan.RuleCatalog;
import dev.parapet.operator.scan.TestRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;

/** The test rule catalog, enabled together with {@link ScriptedScanner}. */
@Alternative
@ApplicationScoped
public class TestCatalog implements RuleCatalog {

  @Override
  public List<RuleMetadata> rules() {
    return TestRules.ALL;
  }
}
