package dev.parapet.operator.scan;

import dev.parapet.core.RuleMetadata;
import java.util.List;
import java.util.Optional;

/** The rules the operator knows: cloud rules from the AWS engine, workload rules from webhook/. */
public interface RuleCatalog {

  List<RuleMetadata> rules();

  default Optional<RuleMetadata> find(String id) {
    return rules().stream().filter(r -> r.id().equals(id)).findFirst();
  }
}
