package dev.parapet.webhook.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretNamesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "PASSWORD", "DB_PASSWORD", "db.password", "AWS_SECRET_ACCESS_KEY", "CLIENT_SECRET",
        "GITHUB_TOKEN", "STRIPE_API_KEY", "apiKey", "PRIVATE_KEY", "GOOGLE_CREDENTIALS"
      })
  void secretishNames(String name) {
    assertThat(SecretNames.isSecretish(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DB_PASSWORD_FILE", "TOKEN_PATH", "OAUTH_TOKEN_URL", "AWS_ACCESS_KEY_ID", "TOKEN_TTL",
        "PASSWORD_MIN_LENGTH", "TOKENIZER_MODEL", "LOG_LEVEL", "SECRET_NAME", ""
      })
  void namesThatPointAtASecretOrAreUnrelated(String name) {
    assertThat(SecretNames.isSecretish(name)).isFalse();
  }
}
