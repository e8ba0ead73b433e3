package dev.parapet.operator.findings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Deterministic, DNS-1123 compliant Finding names: {@code <rule-id>-<hash>}, at most 63 chars. */
public final class FindingNames {

  static final int MAX = 63;
  static final int HASH_CHARS = 12;

  private FindingNames() {}

  /** The name for a rule and a resource identity (e.g. account/region/arn#key). */
  public static String name(String ruleId, String identity) {
    var prefix = ruleId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
    prefix = prefix.replaceAll("^-+", "").replaceAll("-+$", "");
    var maxPrefix = MAX - HASH_CHARS - 1;
    if (prefix.length() > maxPrefix) {
      prefix = prefix.substring(0, maxPrefix).replaceAll("-+$", "");
    }
    var hash = hash(ruleId + "\n" + identity);
    return prefix.isEmpty() ? "f" + hash : prefix + "-" + hash;
  }

  /** First {@value #HASH_CHARS} hex characters of the SHA-256 of the value. */
  static String hash(String value) {
    try {
      var digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A label value (≤ 63 chars, alphanumeric at both ends, [-_.a-zA-Z0-9] inside). */
  public static String labelValue(String value) {
    if (value == null) {
      return "";
    }
    var v = value.replaceAll("[^A-Za-z0-9._-]", "-");
    if (v.length() > MAX) {
      v = v.substring(0, MAX);
    }
    return v.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
  }
}
