package dev.parapet.webhook.secrets;

import static dev.parapet.webhook.secrets.DetectorAssertions.assertFinds;
import static dev.parapet.webhook.secrets.DetectorAssertions.assertNothing;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitHubTokenDetectorTest {
  final GitHubTokenDetector d = new GitHubTokenDetector();
  static final String BODY = "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d";

  @ParameterizedTest
  @ValueSource(strings = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"})
  void findsClassicTokens(String prefix) {
    var token = prefix + BODY;
    var m = assertFinds(d, "--token=" + token, token);
    assertThat(m.redacted()).isEqualTo(prefix + "…(40 chars redacted)");
  }

  @Test
  void findsFineGrainedTokens() {
    var token =
        "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";
    assertFinds(d, "GH=" + token, token);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", // placeholder
        "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", // one repeated char: entropy 0
        "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8", // 35 chars
        "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dQ", // 37 chars: no right boundary
        "myghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d", // no left boundary
        "ghp_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE1", // documentation
        "ghx_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d", // unknown prefix
        "5e99dc3fbea182c93ebdcb916b0552b50d6b64ad" // SHA-1 hex
      })
  void ignoresLookAlikes(String text) {
    assertNothing(d, text);
  }
}
