package dev.parapet.operator.aws.inventory.secretsmanager;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Secrets Manager secrets of one region, all from ListSecrets (it returns rotation, access and
 * tag fields for every secret: no per-secret call). Only secrets whose ARN names the scanned
 * account are kept.
 */
@DatasetSpec(service = "secretsmanager", actions = "secretsmanager:ListSecrets")
public record Secrets(List<Secret> secrets) implements Dataset {

  public Secrets {
    secrets = List.copyOf(secrets);
  }

  @Override
  public int resourceCount() {
    return secrets.size();
  }

  /**
   * One secret. {@code rotationEnabled} is false when the field is absent; {@code rotationDays} is
   * null without a rotation interval; the dates are null when AWS did not return them (e.g. a
   * secret never accessed or never rotated).
   */
  public record Secret(
      String name,
      String arn,
      boolean rotationEnabled,
      Long rotationDays,
      Instant created,
      Instant lastRotated,
      Instant nextRotation,
      Instant lastAccessed,
      Map<String, String> tags) {
    public Secret {
      tags = Tags.copy(tags);
    }
  }
}
