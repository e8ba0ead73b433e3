package dev.parapet.operator.scan;

import dev.parapet.webhook.secrets.Redactor;

/**
 * Credential material read from Secrets. {@link #toString()} never prints a value, so it is safe in
 * logs and exceptions. Null fields mean "not used" (default chain, no external id).
 */
public record ScanCredentials(
    String accessKeyId, String secretAccessKey, String sessionToken, String externalId) {

  public static final ScanCredentials DEFAULT_CHAIN = new ScanCredentials(null, null, null, null);

  @Override
  public String toString() {
    return "ScanCredentials[accessKeyId="
        + Redactor.keyId(accessKeyId)
        + ", secretAccessKey="
        + (secretAccessKey == null ? "null" : "****")
        + ", sessionToken="
        + (sessionToken == null ? "null" : "****")
        + ", externalId="
        + (externalId == null ? "null" : "****")
        + "]";
  }
}
