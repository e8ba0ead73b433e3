package dev.parapet.operator.scan;

import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.Severity;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.rules.RuleMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** The production catalog: the AWS engine's rule registry (workload rules join once merged). */
@ApplicationScoped
public class EngineRuleCatalog implements RuleCatalog {

  private final List<RuleInfo> rules;

  @Inject
  public EngineRuleCatalog(ScanEngine engine) {
    var list = new ArrayList<RuleInfo>();
    engine.rules().rules().forEach(r -> list.add(info(r.metadata())));
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
        List.copyOf(m.iamActions()));
  }

  static Severity severity(dev.parapet.operator.aws.rules.Severity s) {
    return Severity.valueOf(s.name().toUpperCase(java.util.Locale.ROOT));
  }
}
