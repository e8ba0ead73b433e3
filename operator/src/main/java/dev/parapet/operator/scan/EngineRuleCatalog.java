package dev.parapet.operator.scan;

import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.webhook.WorkloadEvaluator;
import dev.parapet.webhook.rules.WorkloadRule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * The production catalog: the AWS engine's rules, the activity rules (CloudTrail events) and the
 * webhook's workload rules.
 */
@ApplicationScoped
public class EngineRuleCatalog implements RuleCatalog {

  private final List<RuleMetadata> rules;

  @Inject
  public EngineRuleCatalog(ScanEngine engine) {
    var list = new ArrayList<RuleMetadata>();
    engine.rules().rules().stream().map(AwsRule::metadata).forEach(list::add);
    list.addAll(dev.parapet.operator.aws.events.activity.ActivityRules.metadata());
    WorkloadEvaluator.RULES.stream().map(WorkloadRule::metadata).forEach(list::add);
    this.rules = List.copyOf(list);
  }

  @Override
  public List<RuleMetadata> rules() {
    return rules;
  }
}
