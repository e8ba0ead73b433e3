package dev.parapet.webhook.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one-pass unit scanner finds exactly what each detector finds on its own. */
class SecretDetectorsTest {
  static final List<String> TEXTS =
      List.of(
          "AKIAQSAJ2XUID5ZZZZG6",
          "AKIAIOSFODNN7EXAMPLE and AKIAXXXXXXXXXXXXXXXX",
          "--token=ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d --other=ghp_short",
          "glpat-ORS_6ilI8ihN5KXSc7Tv glpat-xxxxxxxxxxxxxxxxxxxx",
          "xoxb-131050673373-3654944055535-B3JrTAwR4y9ojfljoQoaF1Ll",
          "sk_live_NhFdnXsiVpzz63FfkCzJr4i0 sk_test_NhFdnXsiVpzz63FfkCzJr4i0",
          "-----BEGIN RSA PRIVATE KEY-----\nz/TddJ8HyS5SUkCnD8zRA9a9SkpXz9w3QlY7Zkuvqdt7s8Stqcbnr3yBdGBLEPH1\n-----END RSA PRIVATE KEY-----",
          "Bearer eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiMTIzNDU2Nzg5MCIsICJuYW1lIjogIlBhcmFwZXQgVGVzdCIsICJpYXQiOiAxNzAwMDAwMDAwfQ.u3ZR1zTOlUcR64cXQLioDnkHIfxIq2HZt_PlJhx2jIc",
          "aws_secret_access_key = jAWtGSU8po/799NksnRH9ucAUsdMlHUvTCQCyEZD",
          "nothing to see here: 5e99dc3fbea182c93ebdcb916b0552b50d6b64ad");

  @Test
  void theUnitScanAgreesWithEachDetector() {
    for (var d : SecretDetectors.all().values()) {
      for (var text : TEXTS) {
        var own = DetectorAssertions.scan(d, "VALUE", text, ScanHints.NONE);
        var unit =
            SecretDetectors.scanUnit(
                    List.of(new SecretDetectors.Text("VALUE", text)), Set.of(d.id()))
                .stream()
                .map(SecretDetectors.Hit::match)
                .toList();
        assertThat(unit).as("%s on %s", d.id(), text).isEqualTo(own);
      }
    }
  }

  @Test
  void aKeyIdElsewhereInTheUnitMakesAnUnnamedSecretKeyReportable() {
    var unit =
        List.of(
            new SecretDetectors.Text("ID", "AKIAQSAJ2XUID5ZZZZG6"),
            new SecretDetectors.Text("OTHER", "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"));
    var ids = SecretDetectors.all().keySet();
    assertThat(SecretDetectors.scanUnit(unit, ids))
        .extracting(h -> h.match().detectorId() + "@" + h.textIndex())
        .containsExactly("aws-access-key-id@0", "aws-secret-access-key@1");
    assertThat(SecretDetectors.scanUnit(unit.subList(1, 2), ids)).isEmpty();
  }

  @Test
  void theWordSecretReachesKeysStartingUpTo64CharsAfterIt() {
    var key = "jAWtGSU8po/799NksnRH9ucAUsdMlHUvTCQCyEZD";
    var detector = SecretDetectors.byId(AwsSecretAccessKeyDetector.ID);
    for (int start = 60; start <= 66; start++) {
      var text = "secret" + " ".repeat(start - 6) + key;
      var unit =
          SecretDetectors.scanUnit(
                  List.of(new SecretDetectors.Text("VALUE", text)), Set.of(detector.id()))
              .stream()
              .map(SecretDetectors.Hit::match)
              .toList();
      assertThat(unit)
          .as("key %d chars after \"secret\"", start)
          .isEqualTo(DetectorAssertions.scan(detector, "VALUE", text, ScanHints.NONE))
          .hasSize(start <= 64 ? 1 : 0);
    }
  }
}
