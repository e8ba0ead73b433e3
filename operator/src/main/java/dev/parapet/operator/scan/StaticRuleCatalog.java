package dev.parapet.operator.scan;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Fallback catalog with no rules, replaced by the engine-backed catalog. */
@DefaultBean
@ApplicationScoped
public class StaticRuleCatalog implements RuleCatalog {

  @Override
  public List<RuleInfo> rules() {
    return List.of();
  }
}
