package dev.parapet.webhook.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Signed JSON Web Tokens. Controls: the header must base64url-decode to a JSON object naming an
 * {@code alg} other than {@code none}, and the signature must be at least 16 chars; random text
 * that merely starts with {@code eyJ} is not a token.
 */
public final class JwtDetector extends KeywordDetector {
  public static final String ID = "jwt";
  private static final Pattern ALG = Pattern.compile("\"alg\"\\s*:\\s*\"([A-Za-z0-9]{1,10})\"");

  public JwtDetector() {
    super(
        List.of("eyJ"),
        Pattern.compile(
            "eyJ[A-Za-z0-9_-]{8,2048}\\.eyJ[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{16,2048}"
                + "(?![A-Za-z0-9_\\-.])"),
        12300,
        "A-Za-z0-9_-",
        8);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "JSON Web Token";
  }

  /** Also requires the header run to end in {@code .eyJ} (the payload), before any regex. */
  @Override
  boolean quickCheck(CharSequence text, int at, int keywordLength) {
    if (!super.quickCheck(text, at, keywordLength)) {
      return false;
    }
    int i = at + keywordLength;
    int stop = Math.min(text.length(), at + 2048);
    while (i < stop && isTokenChar(text.charAt(i))) {
      i++;
    }
    return Chars.startsWith(text, ".eyJ", i);
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-';
  }

  @Override
  boolean accept(CharSequence text, int start, int end) {
    return alg(text, start) != null && !Placeholders.isPlaceholder(text, start, end);
  }

  private static String alg(CharSequence text, int start) {
    int dot = Chars.indexOf(text, '.', start, text.length());
    try {
      var header =
          new String(
              Base64.getUrlDecoder().decode(Chars.substring(text, start, dot)),
              StandardCharsets.UTF_8);
      var m = ALG.matcher(header);
      if (!header.startsWith("{") || !m.find() || m.group(1).equalsIgnoreCase("none")) {
        return null;
      }
      return m.group(1);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  String redact(CharSequence text, int start, int end) {
    return "eyJ…(JWT, alg " + alg(text, start) + ", " + (end - start) + " chars redacted)";
  }
}
