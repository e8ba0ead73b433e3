package dev.parapet.operator.aws.inventory.iam;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import java.util.Map;
import java.util.TreeMap;

/** IAM GetAccountSummary: account-wide counters, including root MFA and root access keys. */
@DatasetSpec(service = "iam", global = true, actions = "iam:GetAccountSummary")
public record AccountSummary(Map<String, Integer> values) implements Dataset {

  public AccountSummary {
    values = Map.copyOf(new TreeMap<>(values));
  }

  /** A counter; null when the answer lacked it. */
  public Integer value(String key) {
    return values.get(key);
  }

  @Override
  public int resourceCount() {
    return 1;
  }
}
