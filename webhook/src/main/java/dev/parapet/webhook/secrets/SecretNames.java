package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.Locale;

/**
 * Secret-ish variable / key names ({@code *PASSWORD*}, {@code *SECRET*}, {@code *TOKEN*}, {@code
 * *API_KEY*}, {@code *PRIVATE_KEY*}, {@code *CREDENTIAL*} ...). Names that point at a secret rather
 * than hold one ({@code *_FILE}, {@code *_PATH}, {@code *_URL}, {@code *_TTL}, {@code *_KEY_ID}
 * ...) are not secret-ish.
 */
public final class SecretNames {
  private SecretNames() {}

  static final List<String> WORDS =
      List.of(
          "PASSWORD",
          "PASSWD",
          "PASSPHRASE",
          "SECRET",
          "TOKEN",
          "APIKEY",
          "API_KEY",
          "API-KEY",
          "PRIVATE_KEY",
          "PRIVATEKEY",
          "CREDENTIAL",
          "ACCESS_KEY",
          "AUTH_KEY",
          "SIGNING_KEY");

  static final List<String> NOT_A_VALUE_SUFFIXES =
      List.of(
          "_FILE",
          "_PATH",
          "_DIR",
          "_URL",
          "_URI",
          "_ENDPOINT",
          "_TTL",
          "_TIMEOUT",
          "_EXPIRY",
          "_EXPIRES",
          "_EXPIRATION",
          "_LENGTH",
          "_SIZE",
          "_ENABLED",
          "_ID",
          "_NAME",
          "_REF",
          "_KEY_ID",
          "_TYPE",
          "_HEADER",
          "_MOUNT",
          "_VERSION");

  public static boolean isSecretish(String name) {
    if (name == null || name.isEmpty() || name.toUpperCase(Locale.ROOT).contains("TOKENIZ")) {
      return false;
    }
    var upper = name.toUpperCase(Locale.ROOT).replace('.', '_');
    for (var suffix : NOT_A_VALUE_SUFFIXES) {
      if (upper.endsWith(suffix)) {
        return false;
      }
    }
    for (var w : WORDS) {
      if (upper.contains(w)) {
        return true;
      }
    }
    return false;
  }
}
