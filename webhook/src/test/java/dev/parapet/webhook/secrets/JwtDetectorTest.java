package dev.parapet.webhook.secrets;

import static dev.parapet.webhook.secrets.DetectorAssertions.assertFinds;
import static dev.parapet.webhook.secrets.DetectorAssertions.assertNothing;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwtDetectorTest {
  final JwtDetector d = new JwtDetector();
  static final String JWT =
      "eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiMTIzNDU2Nzg5MCIsICJuYW1lIjogIlBhcmFwZXQgVGVzdCIsICJpYXQiOiAxNzAwMDAwMDAwfQ.u3ZR1zTOlUcR64cXQLioDnkHIfxIq2HZt_PlJhx2jIc";

  @Test
  void findsSignedTokensAndShowsOnlyTheAlgorithm() {
    var m = assertFinds(d, "Authorization: Bearer " + JWT, JWT);
    assertThat(m.redacted()).isEqualTo("eyJ…(JWT, alg HS256, " + JWT.length() + " chars redacted)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // alg none: unsigned, not a credential
        "eyJhbGciOiAibm9uZSJ9.eyJzdWIiOiAiMTIzNDU2Nzg5MCIsICJuYW1lIjogIlBhcmFwZXQgVGVzdCIsICJpYXQiOiAxNzAwMDAwMDAwfQ.",
        // header is not JSON
        "eyJzzzzzzzzzzzzzzzzz.eyJzzzzzzzzzzzzzzzz.u3ZR1zTOlUcR64cXQLioDnkHIfxIq2HZt",
        // two segments only
        "eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiMTIzNDU2Nzg5MCJ9",
        // signature too short
        "eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiMTIzNDU2Nzg5MCJ9.abc",
        "Ypr/UtgaNVPdrhzaR0BEDYYoAFaPqmUhW2WkxDLt+cI="
      })
  void ignoresLookAlikes(String text) {
    assertNothing(d, text);
  }
}
