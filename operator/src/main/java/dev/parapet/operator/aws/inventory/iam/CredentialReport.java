package dev.parapet.operator.aws.inventory.iam;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import java.time.Instant;
import java.util.List;

/**
 * The IAM credential report, parsed: one row per user (and the root account). Timestamps are null
 * where the report says {@code N/A}, {@code no_information} or {@code not_supported}; {@code
 * passwordEnabled} is null where it says {@code not_supported} (root).
 */
@DatasetSpec(
    service = "iam",
    global = true,
    actions = {"iam:GenerateCredentialReport", "iam:GetCredentialReport"})
public record CredentialReport(Instant generatedAt, List<UserCredentials> users)
    implements Dataset {

  public static final String ROOT = "<root_account>";

  public CredentialReport {
    users = List.copyOf(users);
  }

  @Override
  public int resourceCount() {
    return users.size();
  }

  /** One row. */
  public record UserCredentials(
      String user,
      String arn,
      Instant userCreationTime,
      Boolean passwordEnabled,
      Instant passwordLastUsed,
      Instant passwordLastChanged,
      boolean mfaActive,
      List<AccessKey> accessKeys) {

    public UserCredentials {
      accessKeys = List.copyOf(accessKeys);
    }

    public boolean root() {
      return ROOT.equals(user);
    }

    public boolean hasPassword() {
      return Boolean.TRUE.equals(passwordEnabled);
    }

    public List<AccessKey> activeKeys() {
      return accessKeys.stream().filter(AccessKey::active).toList();
    }
  }

  /** Access key slot 1 or 2. */
  public record AccessKey(int slot, boolean active, Instant lastRotated, Instant lastUsed) {}
}
