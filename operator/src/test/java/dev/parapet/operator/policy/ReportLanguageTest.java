package dev.parapet.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.PosturePolicySpec.Language;
import dev.parapet.api.v1alpha1.Selector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportLanguageTest {

  private static PosturePolicy policy(
      String name, Map<String, String> accounts, Map<String, String> namespaces, Language lang) {
    var p = new PosturePolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    var cloud =
        accounts == null
            ? null
            : new PosturePolicySpec.Cloud(new Selector(accounts, null), null, null, null, null);
    var admission =
        namespaces == null
            ? null
            : new PosturePolicySpec.Admission(
                null,
                null,
                new Selector(namespaces, null),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null); // podSecurityLevel (h/pss) added after this test was written
    p.setSpec(
        new PosturePolicySpec(
            cloud, admission, null, lang == null ? null : new PosturePolicySpec.Reporting(lang)));
    return p;
  }

  @Test
  void theFirstApplyingPolicyByNameThatSetsALanguageWins() {
    var policies =
        List.of(
            policy("c-ja", Map.of("team", "a"), null, Language.JA),
            policy("a-unset", Map.of(), null, null),
            policy("b-en-other-team", Map.of("team", "b"), null, Language.EN));
    assertThat(ReportLanguage.forAccount(policies, Map.of("team", "a"))).isEqualTo(Language.JA);
    assertThat(ReportLanguage.forAccount(policies, Map.of("team", "b"))).isEqualTo(Language.EN);
    assertThat(ReportLanguage.forAccount(policies, Map.of()))
        .as("none applies")
        .isEqualTo(Language.EN);
    var effective =
        PolicyMerger.merge(policies, Map.of("team", "a"), List.of(), java.time.Instant.now());
    assertThat(effective.language()).isEqualTo(Language.JA);
  }

  @Test
  void workloadFindingsFollowTheAdmissionPartsNamespaceSelector() {
    var policies =
        List.of(
            policy("ja-shop", null, Map.of("kubernetes.io/metadata.name", "shop"), Language.JA));
    assertThat(ReportLanguage.forNamespace(policies, "shop", Map.of())).isEqualTo(Language.JA);
    assertThat(ReportLanguage.forNamespace(policies, "other", Map.of())).isEqualTo(Language.EN);
  }
}
