package dev.parapet.webhook.secrets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one redactor: every text that leaves Parapet (admission responses, Findings, Events, logs,
 * metric labels, CLI output) passes through {@link #redact}. It masks the union of the credential
 * shapes Parapet knows:
 *
 * <ul>
 *   <li>whatever any {@linkplain SecretDetectors detector} reports (AWS access key ids and secret
 *       keys, GitHub, GitLab, Slack and Stripe tokens, JWTs, private keys, password assignments,
 *       passwords in connection strings), read as the value of a secret-ish name;
 *   <li>and, without the detectors' false-positive controls (entropy floors, AWS's documented
 *       example keys, placeholders), every AWS unique-id shape: the documented prefixes {@link
 *       #AWS_ID_PREFIXES} and {@code A3T?} followed by 16 upper-case letters or digits;
 *   <li>any lone 40-character run of secret-key characters that mixes cases and digits;
 *   <li>the value assigned ({@code =} or {@code :}) to a credential label: secret access key,
 *       session, security, access, auth, refresh or bearer token, client secret, API key, private
 *       key, password, passwd, pwd, secret, signature (configuration, query strings, SDK errors);
 *   <li>the body of a PEM private key block.
 * </ul>
 *
 * The work is linear in the text: the detectors' single pass, bounded patterns and plain scans.
 * Redacted forms never match again, so redacting twice changes nothing.
 */
public final class Redactor {
  /** AWS's documented unique-id prefixes (IAM identifiers), access key ids among them. */
  public static final List<String> AWS_ID_PREFIXES =
      List.of(
          "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "AKIA", "ANPA", "ANVA", "APKA", "AROA", "ASCA",
          "ASIA");

  private static final Pattern AWS_ID =
      Pattern.compile(
          "(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|"
              + String.join("|", AWS_ID_PREFIXES)
              + ")[A-Z0-9]{16}(?![A-Za-z0-9])");

  /**
   * A credential label, a separator ({@code =} or {@code :}, with quotes or blanks around it) and
   * the value, which does not start like a redacted form ({@code (}, {@code *}). Possessive
   * quantifiers: one attempt per label, no backtracking.
   */
  private static final Pattern LABELLED =
      Pattern.compile(
          "(?i)(?:secret[_ -]?access[_ -]?key|(?:session|security|access|auth|refresh|bearer)"
              + "[_ -]?token|client[_ -]?secret|api[_ -]?key|private[_ -]?key|pass(?:word|wd)|pwd"
              + "|secret|signature)"
              + "[\"' ]*+[=:][\"' ]*+([^\\s,\"'&;(*][^\\s,\"'&;]*+)");

  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----");

  /** A PEM body starts with this many base64 characters (or a {@code Proc-Type:} header). */
  private static final int MIN_PEM_RUN = 16;

  static final int SECRET_KEY_LENGTH = 40;
  static final String SECRET_KEY_REDACTED = "(40-char secret redacted)";
  static final String PEM_BODY_REDACTED = " (body redacted) ";

  private static final Set<String> ALL = SecretDetectors.all().keySet();

  private Redactor() {}

  /** A credential span of the text and what replaces it. */
  private record Span(int start, int end, String replacement) {}

  /** {@code text} with every credential it holds masked; null stays null. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    var out = redact((CharSequence) text);
    return out == null ? text : out;
  }

  /** The redacted text, or null when it holds no credential (read only through {@code charAt}). */
  static String redact(CharSequence text) {
    var spans = new ArrayList<Span>();
    detected(text, spans);
    awsIds(text, spans);
    secretKeys(text, spans);
    labelled(text, spans);
    privateKeys(text, spans);
    if (spans.isEmpty()) {
      return null;
    }
    spans.sort(Comparator.comparingInt(Span::start));
    var sb = new StringBuilder(text.length());
    int done = 0;
    int i = 0;
    while (i < spans.size()) {
      // Overlapping spans merge; the longest one's replacement stands for all of them.
      var first = spans.get(i);
      int end = first.end();
      var widest = first;
      for (i++; i < spans.size() && spans.get(i).start() < end; i++) {
        var s = spans.get(i);
        end = Math.max(end, s.end());
        if (s.end() - s.start() > widest.end() - widest.start()) {
          widest = s;
        }
      }
      sb.append(text, done, first.start()).append(widest.replacement());
      done = end;
    }
    return sb.append(text, done, text.length()).toString();
  }

  /** {@code AKIAIOSFODNN7EXAMPLE} becomes {@code AKIA************MPLE}; null becomes "null". */
  public static String keyId(String id) {
    if (id == null) {
      return "null";
    }
    return keepEnds(id, 0, id.length(), 4, 4);
  }

  /** Keeps a non-secret prefix of {@code keep} chars and the last {@code tail} chars. */
  public static String keepEnds(CharSequence s, int from, int to, int keep, int tail) {
    int n = to - from;
    if (n <= keep + tail + 4) {
      return "*".repeat(Math.max(n, 4));
    }
    return s.subSequence(from, from + keep)
        + "*".repeat(n - keep - tail)
        + s.subSequence(to - tail, to);
  }

  /** Shows only a fixed, non-secret prefix and the length. */
  public static String prefixOnly(CharSequence s, int from, int to, int keep) {
    return s.subSequence(from, from + keep) + "…(" + (to - from) + " chars redacted)";
  }

  private static void detected(CharSequence text, List<Span> out) {
    for (var hit :
        SecretDetectors.scanUnit(List.of(new SecretDetectors.Text("SECRET", text)), ALL)) {
      var m = hit.match();
      switch (m.detectorId()) {
        case PrivateKeyDetector.ID -> {} // the header only: privateKeys() masks the body
        case ConnectionStringDetector.ID, PasswordAssignmentDetector.ID ->
            out.add(new Span(m.start(), m.end(), "(" + (m.end() - m.start()) + " chars redacted)"));
        default -> out.add(new Span(m.start(), m.end(), m.redacted()));
      }
    }
  }

  private static void awsIds(CharSequence text, List<Span> out) {
    var m = AWS_ID.matcher(text);
    while (m.find()) {
      out.add(new Span(m.start(), m.end(), keepEnds(text, m.start(), m.end(), 4, 4)));
    }
  }

  private static boolean secretKeyChar(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '/'
        || c == '+';
  }

  /** Runs of exactly 40 secret-key characters, not next to '=', mixing cases and digits. */
  private static void secretKeys(CharSequence text, List<Span> out) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!secretKeyChar(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      boolean upper = false;
      boolean lower = false;
      boolean digit = false;
      for (; i < n && secretKeyChar(text.charAt(i)); i++) {
        char c = text.charAt(i);
        upper |= c >= 'A' && c <= 'Z';
        lower |= c >= 'a' && c <= 'z';
        digit |= c >= '0' && c <= '9';
      }
      if (i - start == SECRET_KEY_LENGTH
          && upper
          && lower
          && digit
          && (start == 0 || text.charAt(start - 1) != '=')
          && (i == n || text.charAt(i) != '=')) {
        out.add(new Span(start, i, SECRET_KEY_REDACTED));
      }
    }
  }

  private static void labelled(CharSequence text, List<Span> out) {
    var m = LABELLED.matcher(text);
    while (m.find()) {
      out.add(new Span(m.start(1), m.end(1), "***"));
    }
  }

  /**
   * The body after each private key header, up to the next {@code -----} (the END line) or the end
   * of the text, when it starts like a PEM body. Each search ends where the next begins: linear.
   */
  private static void privateKeys(CharSequence text, List<Span> out) {
    var m = PRIVATE_KEY.matcher(text);
    int from = 0;
    while (from < text.length() && m.find(from)) {
      int body = m.end();
      int stop = Chars.indexOf(text, "-----", body);
      if (stop < 0) {
        stop = text.length();
      }
      if (startsLikePem(text, body, stop)) {
        out.add(new Span(body, stop, PEM_BODY_REDACTED));
      }
      from = Math.max(stop, m.end());
    }
  }

  private static boolean startsLikePem(CharSequence text, int from, int stop) {
    int i = from;
    while (i < stop) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        i++;
      } else if (c == '\\' && i + 1 < stop && text.charAt(i + 1) == 'n') {
        i += 2;
      } else {
        break;
      }
    }
    if (Chars.startsWith(text, "Proc-Type:", i)) {
      return true;
    }
    int run = 0;
    for (; i < stop && run < MIN_PEM_RUN; i++) {
      char c = text.charAt(i);
      if (secretKeyChar(c) || c == '=') {
        run++;
      } else if (c == '\n'
          || c == '\r'
          || (c == '\\' && i + 1 < stop && text.charAt(i + 1) == 'n')) {
        if (c == '\\') {
          i++;
        }
      } else {
        break;
      }
    }
    return run >= MIN_PEM_RUN;
  }
}
