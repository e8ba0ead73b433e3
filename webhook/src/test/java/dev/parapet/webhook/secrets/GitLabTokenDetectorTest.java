package dev.parapet.webhook.secrets;

import static dev.parapet.webhook.secrets.DetectorAssertions.assertFinds;
import static dev.parapet.webhook.secrets.DetectorAssertions.assertNothing;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitLabTokenDetectorTest {
  final GitLabTokenDetector d = new GitLabTokenDetector();

  @Test
  void findsPersonalAccessTokens() {
    var token = "glpat-ORS_6ilI8ihN5KXSc7Tv";
    var m = assertFinds(d, "token: " + token + "\n", token);
    assertThat(m.redacted()).isEqualTo("glpat-…(26 chars redacted)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "glpat-xxxxxxxxxxxxxxxxxxxx",
        "glpat-ORS_6ilI8ihN5KXSc7T", // 19
        "glpat-ORS_6ilI8ihN5KXSc7Tv-more", // longer run: no boundary
        "glpat-aaaaaaaaaabbbbbbbbbb", // entropy 1.0
        "5e99dc3fbea182c93ebdcb916b0552b50d6b64ad"
      })
  void ignoresLookAlikes(String text) {
    assertNothing(d, text);
  }
}
