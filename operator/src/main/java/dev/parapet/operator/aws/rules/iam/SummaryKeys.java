package dev.parapet.operator.aws.rules.iam;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.rules.RegionView;

/** The cause used when GetAccountSummary answered without a counter a rule needs. */
final class SummaryKeys {
  private SummaryKeys() {}

  static CollectionError missing(RegionView view, String key) {
    return new CollectionError(
        "iam",
        Datasets.GLOBAL,
        "GetAccountSummary",
        UnknownReason.Unsupported,
        "the answer has no " + key);
  }
}
