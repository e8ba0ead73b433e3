package dev.parapet.operator.findings;

import java.util.regex.Pattern;

/**
 * Last line of defence before text leaves the operator (Finding messages, Events, logs): AWS access
 * key ids keep their first and last four characters, anything that looks like a secret access key
 * is masked.
 */
public final class Redactor {

  private static final Pattern ACCESS_KEY_ID =
      Pattern.compile(
          "\\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{4})([A-Z0-9]{8})([A-Z0-9]{4})\\b");
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");

  private Redactor() {}

  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    var out =
        ACCESS_KEY_ID
            .matcher(text)
            .replaceAll(m -> m.group(1).substring(0, 4) + "*".repeat(12) + m.group(3));
    return SECRET_KEY
        .matcher(out)
        .replaceAll(m -> looksRandom(m.group()) ? "****************" : m.group());
  }

  /** A 40-character run is a secret key only if it mixes cases and digits (not a hex digest). */
  private static boolean looksRandom(String s) {
    return s.chars().anyMatch(Character::isUpperCase)
        && s.chars().anyMatch(Character::isLowerCase)
        && s.chars().anyMatch(Character::isDigit);
  }
}
