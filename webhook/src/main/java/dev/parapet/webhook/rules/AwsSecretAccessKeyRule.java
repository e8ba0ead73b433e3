package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.WorkloadReview.CredentialHit;
import dev.parapet.webhook.secrets.AwsSecretAccessKeyDetector;

/** A literal AWS secret access key next to a key id or under a secret-ish name. */
public final class AwsSecretAccessKeyRule extends CredentialRule {
  public static final RuleMetadata METADATA =
      RuleMetadata.workload(
          "aws-secret-access-key",
          "Literal AWS secret access key",
          "AWS シークレットアクセスキーがリテラルで記述されています",
          "store it in a Secret and reference it with valueFrom.secretKeyRef, then rotate it",
          "Secret に保存して valueFrom.secretKeyRef で参照し、その後ローテーションしてください",
          Severity.CRITICAL,
          CredentialRule.ALL_KINDS);

  @Override
  public RuleMetadata metadata() {
    return METADATA;
  }

  @Override
  boolean reports(CredentialHit hit) {
    return inPodOrAnnotations(hit) && hit.detectorId().equals(AwsSecretAccessKeyDetector.ID);
  }
}
