package dev.parapet.operator.scan;

import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.Severity;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.rules.RuleMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** The production catalog: the AWS engine's rules and the webhook's workload rules. */
@ApplicationScoped
public class EngineRuleCatalog implements RuleCatalog {

  private final List<RuleInfo> rules;

  @Inject
  public EngineRuleCatalog(ScanEngine engine) {
    var list = new ArrayList<RuleInfo>();
    engine.rules().rules().forEach(r -> list.add(info(r.metadata())));
    dev.parapet.webhook.WorkloadEvaluator.RULES.forEach(r -> list.add(workload(r.metadata())));
    this.rules = List.copyOf(list);
  }

  @Override
  public List<RuleInfo> rules() {
    return rules;
  }

  /** The operator's view of an engine rule. */
  public static RuleInfo info(RuleMetadata m) {
    var compliance = new ArrayList<FindingSpec.Compliance>();
    m.cis().forEach(c -> compliance.add(new FindingSpec.Compliance("cis-aws", c)));
    m.fsbp().forEach(c -> compliance.add(new FindingSpec.Compliance("aws-fsbp", c)));
    return new RuleInfo(
        m.id(),
        FindingSpec.Source.AWS,
        m.titleEn(),
        m.titleJa(),
        severity(m.severity()),
        compliance,
        m.remediationEn(),
        m.remediationJa(),
        m.remediationUrl(),
        List.copyOf(m.iamActions()),
        m.allDatasets().stream().map(Datasets::service).distinct().sorted().toList(),
        m.resourcesTagged());
  }

  /** The operator's view of a workload (admission) rule. */
  public static RuleInfo workload(dev.parapet.webhook.rules.RuleMetadata m) {
    return new RuleInfo(
        m.id(),
        FindingSpec.Source.KUBERNETES,
        m.titleEn(),
        m.titleJa(),
        m.severity(),
        List.of(),
        m.remediationEn(),
        m.remediationJa(),
        null,
        List.of(),
        List.of(),
        false);
  }

  public static Severity severity(dev.parapet.operator.aws.rules.Severity s) {
    return Severity.valueOf(s.name().toUpperCase(java.util.Locale.ROOT));
  }
}
