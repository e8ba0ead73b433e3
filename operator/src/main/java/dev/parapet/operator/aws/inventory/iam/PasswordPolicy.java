package dev.parapet.operator.aws.inventory.iam;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;

/**
 * The account password policy. {@code present} is false when AWS answered NoSuchEntity (a known
 * state: no policy); {@code reusePrevention} is 0 when not set.
 */
@DatasetSpec(service = "iam", global = true, actions = "iam:GetAccountPasswordPolicy")
public record PasswordPolicy(boolean present, int minimumLength, int reusePrevention)
    implements Dataset {

  public static PasswordPolicy none() {
    return new PasswordPolicy(false, 0, 0);
  }

  @Override
  public int resourceCount() {
    return 1;
  }
}
