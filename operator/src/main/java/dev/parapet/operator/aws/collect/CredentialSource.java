package dev.parapet.operator.aws.collect;

import dev.parapet.webhook.secrets.Redactor;
import java.util.Objects;

/** Where a scan's AWS credentials come from. Secret values never appear in {@code toString}. */
public sealed interface CredentialSource
    permits CredentialSource.DefaultChain,
        CredentialSource.AssumeRole,
        CredentialSource.StaticKeys {

  /** The SDK default chain: env, system properties, web identity (IRSA), Pod Identity, profile. */
  record DefaultChain() implements CredentialSource {}

  /**
   * STS AssumeRole from {@code base} (the default chain when null); credentials are cached and
   * refreshed before expiry. {@code externalId} may be null.
   */
  record AssumeRole(
      String roleArn,
      String externalId,
      String sessionName,
      int durationSeconds,
      CredentialSource base)
      implements CredentialSource {
    public AssumeRole {
      Objects.requireNonNull(roleArn, "roleArn");
      sessionName = sessionName == null || sessionName.isBlank() ? "parapet" : sessionName;
      durationSeconds = durationSeconds <= 0 ? 3600 : durationSeconds;
      if (durationSeconds < 900 || durationSeconds > 43200) {
        throw new IllegalArgumentException(
            "assumeRole.durationSeconds must be 900-43200, got " + durationSeconds);
      }
      if (base instanceof AssumeRole) {
        throw new IllegalArgumentException("assumeRole.base cannot itself be an assumeRole");
      }
    }

    @Override
    public String toString() {
      return "AssumeRole[roleArn="
          + roleArn
          + ", externalId="
          + (externalId == null ? "none" : "***")
          + ", sessionName="
          + sessionName
          + ", durationSeconds="
          + durationSeconds
          + ", base="
          + (base == null ? "DefaultChain" : base)
          + "]";
    }
  }

  /** Long-lived keys (from a Secret); {@code sessionToken} may be null. */
  record StaticKeys(String accessKeyId, String secretAccessKey, String sessionToken)
      implements CredentialSource {
    public StaticKeys {
      if (accessKeyId == null || accessKeyId.isBlank()) {
        throw new IllegalArgumentException("static credentials need an access key id");
      }
      if (secretAccessKey == null || secretAccessKey.isBlank()) {
        throw new IllegalArgumentException("static credentials need a secret access key");
      }
    }

    @Override
    public String toString() {
      return "StaticKeys[accessKeyId=" + Redactor.keyId(accessKeyId) + "]";
    }
  }
}
