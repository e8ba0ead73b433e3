package dev.parapet.operator.aws.rules;

import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.Inventory;
import java.util.ArrayList;
import java.util.List;

/**
 * Base for rules over account-wide data (IAM, S3 listing, account settings): judged once, under the
 * pseudo-region {@code global}; unknown input yields one UNKNOWN result.
 */
public abstract class GlobalRule implements AwsRule {

  @Override
  public final List<RuleResult> evaluate(Inventory inventory, RuleParameters parameters) {
    var results = new ArrayList<RuleResult>();
    var unknown = inventory.firstUnknown(definition().datasets(), Datasets.GLOBAL);
    if (unknown.isPresent()) {
      results.add(RuleResult.unknown(Datasets.GLOBAL, unknown.get()));
    } else {
      evaluateAccount(new RegionView(inventory, Datasets.GLOBAL), parameters, results);
    }
    return results;
  }

  /** Called only when every dataset the rule reads is known. */
  protected abstract void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results);
}
