package dev.parapet.operator.scan;

import java.util.List;
import java.util.Optional;

/** The rules the operator knows: cloud rules from the AWS engine, workload rules from webhook/. */
public interface RuleCatalog {

  List<RuleInfo> rules();

  default Optional<RuleInfo> find(String id) {
    return rules().stream().filter(r -> r.id().equals(id)).findFirst();
  }
}
