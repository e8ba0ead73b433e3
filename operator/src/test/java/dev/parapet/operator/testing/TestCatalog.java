package dev.parapet.operator.testing;

import dev.parapet.operator.scan.RuleCatalog;
import dev.parapet.operator.scan.RuleInfo;
import dev.parapet.operator.scan.TestRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;

/** The test rule catalog, enabled together with {@link ScriptedScanner}. */
@Alternative
@ApplicationScoped
public class TestCatalog implements RuleCatalog {

  @Override
  public List<RuleInfo> rules() {
    return TestRules.ALL;
  }
}
