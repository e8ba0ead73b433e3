package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.WorkloadReview.CredentialHit;
import dev.parapet.webhook.secrets.AwsAccessKeyIdDetector;

/** A literal AWS access key id in env values, args, command or annotations. */
public final class AwsAccessKeyIdRule extends CredentialRule {
  public static final RuleMetadata METADATA =
      RuleMetadata.workload(
          "aws-access-key-id",
          "Literal AWS access key id",
          "AWS アクセスキー ID がリテラルで記述されています",
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
    return inPodOrAnnotations(hit) && hit.detectorId().equals(AwsAccessKeyIdDetector.ID);
  }
}
