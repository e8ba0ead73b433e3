package dev.parapet.webhook.secrets;

import static dev.parapet.webhook.secrets.DetectorAssertions.assertFinds;
import static dev.parapet.webhook.secrets.DetectorAssertions.assertNothing;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsAccessKeyIdDetectorTest {
  final AwsAccessKeyIdDetector d = new AwsAccessKeyIdDetector();
  static final String KEY = "AKIAQSAJ2XUID5ZZZZG6";

  @Test
  void findsALiteralKeyIdAndRedactsItToPrefixAndLastFour() {
    var m = assertFinds(d, KEY, KEY);
    assertThat(m.redacted()).isEqualTo("AKIA************ZZG6");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AKIA", "ASIA", "ABIA", "ACCA", "A3TX"})
  void findsEveryKeyIdPrefix(String prefix) {
    var key = prefix + "ZDMEN4KHVDGAJGXB";
    assertFinds(d, "--key=" + key + " --region=eu-west-1", key);
  }

  @Test
  void findsKeyIdsInsideConfigText() {
    assertFinds(d, "[default]\naws_access_key_id = " + KEY + "\n", KEY);
    assertFinds(d, "{\"AccessKeyId\":\"" + KEY + "\"}", KEY);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "AKIAIOSFODNN7EXAMPLE", // AWS's documented example key
        "AKIAXXXXXXXXXXXXXXXX", // filler
        "AKIAAAAABBBBCCCCDDDD", // low entropy suffix (2.0 bits/char)
        "xAKIAQSAJ2XUID5ZZZZG6", // no left word boundary
        "AKIAQSAJ2XUID5ZZZZG6X", // 21 chars: no right boundary
        "AKIAQSAJ2XUID5ZZZZ", // too short
        "akiaqsaj2xuid5zzzzg6", // lower case
        "AKIAQSAJ1XUID0ZZZZG6", // 0 and 1 are not base32
        "5e99dc3fbea182c93ebdcb916b0552b50d6b64ad", // SHA-1 hex
        "Ypr/UtgaNVPdrhzaR0BEDYYoAFaPqmUhW2WkxDLt+cI=", // base64 SHA-256 digest
        "AKIA_PLACEHOLDER_KEY_ID"
      })
  void ignoresLookAlikes(String text) {
    assertNothing(d, text);
  }
}
