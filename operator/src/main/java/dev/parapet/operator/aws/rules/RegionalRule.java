package dev.parapet.operator.aws.rules;

import dev.parapet.operator.aws.inventory.Inventory;
import java.util.ArrayList;
import java.util.List;

/**
 * Base for rules judged region by region: a region whose datasets are not all known yields one
 * UNKNOWN result for that region; otherwise {@link #evaluateRegion} decides.
 */
public abstract class RegionalRule implements AwsRule {

  @Override
  public final List<RuleResult> evaluate(Inventory inventory, RuleParameters parameters) {
    var results = new ArrayList<RuleResult>();
    for (var region : inventory.regions()) {
      var unknown = inventory.firstUnknown(definition().datasets(), region);
      if (unknown.isPresent()) {
        results.add(RuleResult.unknown(region, unknown.get()));
      } else {
        evaluateRegion(new RegionView(inventory, region), parameters, results);
      }
    }
    return results;
  }

  /**
   * Called only when every dataset in {@link RuleDefinition#datasets()} is known for the region.
   */
  protected abstract void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results);
}
