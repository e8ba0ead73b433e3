package dev.parapet.webhook.secrets;

import static dev.parapet.webhook.secrets.DetectorAssertions.assertFinds;
import static dev.parapet.webhook.secrets.DetectorAssertions.assertNothing;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlackTokenDetectorTest {
  final SlackTokenDetector d = new SlackTokenDetector();

  @ParameterizedTest
  @ValueSource(strings = {"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"})
  void findsSlackTokens(String prefix) {
    var token = prefix + "131050673373-3654944055535-B3JrTAwR4y9ojfljoQoaF1Ll";
    var m = assertFinds(d, "SLACK=" + token, token);
    assertThat(m.redacted()).startsWith(prefix + "…(");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx",
        "xoxb-your-token-here",
        "xoxb-123456",
        "xoxz-131050673373-3654944055535-B3JrTAwR4y9ojfljoQoaF1Ll",
        "xoxb-111111111111-1111111111111-111111111111111111111111"
      })
  void ignoresLookAlikes(String text) {
    assertNothing(d, text);
  }
}
