package dev.parapet.webhook.secrets;

import static dev.parapet.webhook.secrets.DetectorAssertions.assertFinds;
import static dev.parapet.webhook.secrets.DetectorAssertions.assertNothing;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StripeKeyDetectorTest {
  final StripeKeyDetector d = new StripeKeyDetector();

  @ParameterizedTest
  @ValueSource(strings = {"sk_live_", "rk_live_"})
  void findsLiveKeys(String prefix) {
    var key = prefix + "NhFdnXsiVpzz63FfkCzJr4i0";
    var m = assertFinds(d, "STRIPE_KEY=" + key, key);
    assertThat(m.redacted()).isEqualTo(prefix + "…(32 chars redacted)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sk_test_NhFdnXsiVpzz63FfkCzJr4i0", // test mode
        "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        "sk_live_NhFdnXsiVp", // too short
        "sk_live_000000000000000000000000",
        "ask_live_NhFdnXsiVpzz63FfkCzJr4i0" // no left boundary
      })
  void ignoresLookAlikes(String text) {
    assertNothing(d, text);
  }
}
