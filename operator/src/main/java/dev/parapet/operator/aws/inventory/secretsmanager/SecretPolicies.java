package dev.parapet.operator.aws.inventory.secretsmanager;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.PartialErrors;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import java.util.Map;
import java.util.Optional;

/**
 * Per secret ARN: its resource policy (one GetResourcePolicy per secret; AWS has no batch form),
 * empty when the secret has none.
 */
@DatasetSpec(
    service = "secretsmanager",
    actions = {"secretsmanager:ListSecrets", "secretsmanager:GetResourcePolicy"})
public record SecretPolicies(Map<String, Fact<Optional<PolicyDocument>>> byArn) implements Dataset {

  public SecretPolicies {
    byArn = Map.copyOf(byArn);
  }

  @Override
  public int resourceCount() {
    return 0; // the secrets are counted once, by Secrets
  }

  @Override
  public java.util.List<CollectionError> partialErrors() {
    return PartialErrors.of(byArn.values().stream());
  }
}
