package dev.parapet.operator.scan;

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
        + redact(accessKeyId)
        + ", secretAccessKey="
        + (secretAccessKey == null ? "null" : "****")
        + ", sessionToken="
        + (sessionToken == null ? "null" : "****")
        + ", externalId="
        + (externalId == null ? "null" : "****")
        + "]";
  }

  /** AKIA************WXYZ style: the first four and last four characters survive. */
  public static String redact(String value) {
    if (value == null) {
      return "null";
    }
    if (value.length() <= 8) {
      return "*".repeat(value.length());
    }
    return value.substring(0, 4)
        + "*".repeat(value.length() - 8)
        + value.substring(value.length() - 4);
  }
}
