package dev.parapet.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.core.RuleMetadata;
import dev.parapet.webhook.WorkloadEvaluator;
import dev.parapet.webhook.rules.pss.PodSecurityRule;
import dev.parapet.webhook.secrets.SecretDetectors;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class RuleCatalogueTest {
  @Test
  void everyRuleHasCompleteMetadata() {
    var ids = new HashSet<String>();
    for (var rule : WorkloadEvaluator.RULES) {
      var m = rule.metadata();
      assertThat(ids.add(m.id())).as("unique id %s", m.id()).isTrue();
      assertThat(m.id()).matches("[a-z][a-z0-9-]{2,40}");
      assertThat(m.titleEn()).isNotBlank().hasSizeLessThanOrEqualTo(150);
      assertThat(m.titleJa()).isNotBlank().hasSizeLessThanOrEqualTo(150);
      assertThat(m.remediationEn()).isNotBlank();
      assertThat(m.remediationJa()).isNotBlank();
      assertThat(m.severity()).isNotNull();
      assertThat(m.appliesTo()).isNotEmpty();
      // The shared model's workload shape: no cloud data, so the operator's catalog needs no
      // conversion and never treats a workload rule as a cloud one.
      assertThat(m.source()).isEqualTo(RuleMetadata.Source.KUBERNETES);
      assertThat(m.requiredActions()).isEmpty();
      assertThat(m.services()).isEmpty();
      // Only the Pod Security Standards controls map to a framework (k8s-pss), never a cloud one.
      assertThat(m.compliance())
          .allSatisfy(c -> assertThat(c.framework()).isEqualTo(PodSecurityRule.FRAMEWORK));
      assertThat(m.compliance().isEmpty()).isEqualTo(!m.id().startsWith("pss-"));
      assertThat(m.resourcesTagged()).isFalse();
    }
  }

  @Test
  void everyDetectorHasAStableUniqueId() {
    assertThat(SecretDetectors.all().keySet())
        .containsExactly(
            "aws-access-key-id",
            "aws-secret-access-key",
            "github-token",
            "gitlab-token",
            "slack-token",
            "stripe-key",
            "private-key",
            "jwt",
            "password-assignment",
            "connection-string");
  }
}
