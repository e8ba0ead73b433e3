package dev.parapet.operator.aws.collect;

import java.util.regex.Pattern;

/** Removes credential material from text before it reaches errors, logs or status. */
public final class Redaction {
  private static final Pattern KEY_ID =
      Pattern.compile("\\b((?:AKIA|ASIA)[A-Z0-9]{12})([A-Z0-9]{4})\\b");
  private static final Pattern SECRET =
      Pattern.compile(
          "(?i)(secret[_ ]?access[_ ]?key|session[_ ]?token|signature)([\"'=: ]+)[^\\s,\"'&]+");

  private Redaction() {}

  /** {@code AKIAIOSFODNN7EXAMPLE} becomes {@code AKIA************MPLE}. */
  public static String accessKeyId(String keyId) {
    if (keyId == null || keyId.length() < 8) {
      return "****";
    }
    return keyId.substring(0, 4)
        + "*".repeat(keyId.length() - 8)
        + keyId.substring(keyId.length() - 4);
  }

  /** Masks access key ids and anything labelled as a secret, token or signature. */
  public static String text(String s) {
    if (s == null) {
      return "";
    }
    var masked =
        KEY_ID.matcher(s).replaceAll(m -> m.group(1).substring(0, 4) + "************" + m.group(2));
    return SECRET.matcher(masked).replaceAll("$1$2***");
  }
}
