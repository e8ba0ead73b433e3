package dev.parapet.webhook.secrets;

import static dev.parapet.webhook.secrets.DetectorAssertions.assertFinds;
import static dev.parapet.webhook.secrets.DetectorAssertions.assertNothing;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsSecretAccessKeyDetectorTest {
  final AwsSecretAccessKeyDetector d = new AwsSecretAccessKeyDetector();
  static final String SECRET = "jAWtGSU8po/799NksnRH9ucAUsdMlHUvTCQCyEZD";

  @Test
  void findsASecretUnderASecretishName() {
    var m = assertFinds(d, "AWS_SECRET_ACCESS_KEY", SECRET, ScanHints.NONE, SECRET);
    assertThat(m.redacted()).isEqualTo("(40-char secret redacted)");
  }

  @Test
  void findsASecretNextToAKeyId() {
    assertFinds(d, "CONFIG", SECRET, ScanHints.KEY_ID_NEARBY, SECRET);
  }

  @Test
  void findsASecretAfterTheWordSecretInText() {
    var ini = "[default]\naws_secret_access_key = " + SECRET + "\n";
    assertFinds(d, "credentials", ini, ScanHints.NONE, SECRET);
  }

  @Test
  void ignoresA40CharStringWithoutContext() {
    assertNothing(d, "BUILD_ID", SECRET, ScanHints.NONE);
    assertNothing(d, null, "checksum " + SECRET, ScanHints.NONE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", // AWS's documented example secret
        "5e99dc3fbea182c93ebdcb916b0552b50d6b64ad", // SHA-1 hex: no upper case, ≤ 4 bits/char
        "5E99DC3FBEA182C93EBDCB916B0552B50D6B64AD", // SHA-1 hex, upper case
        "Ypr/UtgaNVPdrhzaR0BEDYYoAFaPqmUhW2WkxDLt+cI=", // base64 SHA-256: 44 chars with padding
        "XpncP76hgsk+vcuRawVStQ1rZK0=", // base64 SHA-1: 28 chars
        "aaaaaaaaaaBBBBBBBBBB1111111111cccccccccc", // low entropy
        "jAWtGSU8po/799NksnRH9ucAUsdMlHUvTCQCyEZDx", // 41 chars
        "jAWtGSU8po/799NksnRH9ucAUsdMlHUvTCQCyEZD=", // base64 padding right after: a longer value
        "thisisjustalongpasswordwithoutanydigitsX" // no digit
      })
  void ignoresLookAlikesEvenUnderASecretishName(String value) {
    assertNothing(d, "AWS_SECRET_ACCESS_KEY", value, ScanHints.KEY_ID_NEARBY);
  }
}
