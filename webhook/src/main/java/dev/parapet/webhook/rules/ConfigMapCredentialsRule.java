package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.WorkloadReview.CredentialHit;
import dev.parapet.webhook.policy.ScanLocation;
import java.util.Set;

/** Credentials (any detector) in a ConfigMap's {@code data} or {@code binaryData}. */
public final class ConfigMapCredentialsRule extends CredentialRule {
  public static final RuleMetadata METADATA =
      RuleMetadata.workload(
          "configmap-credentials",
          "ConfigMap holds private credentials",
          "ConfigMap に秘密の認証情報が含まれています",
          "move the value to a Secret and rotate the credential",
          "値を Secret に移し、認証情報をローテーションしてください",
          Severity.CRITICAL,
          Set.of("ConfigMap"));

  @Override
  public RuleMetadata metadata() {
    return METADATA;
  }

  @Override
  boolean reports(CredentialHit hit) {
    return hit.location() == ScanLocation.configMaps;
  }
}
