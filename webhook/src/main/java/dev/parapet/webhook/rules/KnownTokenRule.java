package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.WorkloadReview.CredentialHit;
import dev.parapet.webhook.secrets.ConnectionStringDetector;
import dev.parapet.webhook.secrets.CustomDetector;
import dev.parapet.webhook.secrets.GitHubTokenDetector;
import dev.parapet.webhook.secrets.GitLabTokenDetector;
import dev.parapet.webhook.secrets.JwtDetector;
import dev.parapet.webhook.secrets.PasswordAssignmentDetector;
import dev.parapet.webhook.secrets.PrivateKeyDetector;
import dev.parapet.webhook.secrets.SlackTokenDetector;
import dev.parapet.webhook.secrets.StripeKeyDetector;
import java.util.Set;

/**
 * Known token formats as literals: PEM private keys, GitHub, GitLab, Slack, Stripe and JWT; and
 * passwords in embedded configuration content and in connection strings.
 */
public final class KnownTokenRule extends CredentialRule {
  public static final RuleMetadata METADATA =
      RuleMetadata.workload(
          "credential-token",
          "Literal token or private key",
          "トークンまたは秘密鍵がリテラルで記述されています",
          "store it in a Secret and reference it with valueFrom.secretKeyRef, then rotate it",
          "Secret に保存して valueFrom.secretKeyRef で参照し、その後ローテーションしてください",
          Severity.CRITICAL,
          CredentialRule.ALL_KINDS);

  static final Set<String> TOKEN_DETECTORS =
      Set.of(
          PrivateKeyDetector.ID,
          GitHubTokenDetector.ID,
          GitLabTokenDetector.ID,
          SlackTokenDetector.ID,
          StripeKeyDetector.ID,
          JwtDetector.ID,
          PasswordAssignmentDetector.ID,
          ConnectionStringDetector.ID);

  @Override
  public RuleMetadata metadata() {
    return METADATA;
  }

  @Override
  boolean reports(CredentialHit hit) {
    return inPodOrAnnotations(hit)
        && (TOKEN_DETECTORS.contains(hit.detectorId())
            || hit.detectorId().startsWith(CustomDetector.ID_PREFIX));
  }
}
