package dev.parapet.webhook.secrets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * A deliberately simple (slow) statement of what the detectors find, for property tests against the
 * optimized scanner: at every position where a keyword starts (with a left word boundary), the
 * detector's regular expression is tried, matches do not overlap, and the detector's false-positive
 * controls ({@code accept}) and redaction are applied. AWS secret keys are the maximal 40-char runs
 * of {@code [A-Za-z0-9/+]} not followed by {@code =}, reported with context: a key id in the unit,
 * a secret-ish name, or the word "secret" lying within the 64 chars before the run.
 */
final class ReferenceScanner {
  private ReferenceScanner() {}

  /** One keyword detector: its keywords, regex, region bound and left boundary. */
  record Spec(
      KeywordDetector detector,
      List<String> keywords,
      Pattern pattern,
      int maxLength,
      IntPredicate wordChar) {}

  static final IntPredicate DEFAULT_WORD =
      c -> Character.isLetterOrDigit(c) || c == '_' || c == '-';

  static final List<Spec> SPECS =
      List.of(
          new Spec(
              (KeywordDetector) SecretDetectors.byId(AwsAccessKeyIdDetector.ID),
              List.of("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
              Pattern.compile("(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])"),
              20,
              Character::isLetterOrDigit),
          new Spec(
              (KeywordDetector) SecretDetectors.byId(GitHubTokenDetector.ID),
              List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
              Pattern.compile(
                  "(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])"),
              93,
              DEFAULT_WORD),
          new Spec(
              (KeywordDetector) SecretDetectors.byId(GitLabTokenDetector.ID),
              List.of("glpat-"),
              Pattern.compile("glpat-[A-Za-z0-9_\\-]{20}(?![A-Za-z0-9_\\-])"),
              26,
              DEFAULT_WORD),
          new Spec(
              (KeywordDetector) SecretDetectors.byId(SlackTokenDetector.ID),
              List.of("xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"),
              Pattern.compile(
                  "xox[baprs]-[0-9A-Za-z]{6,}(?:-[0-9A-Za-z]{4,}){1,4}(?![A-Za-z0-9_\\-])"),
              160,
              DEFAULT_WORD),
          new Spec(
              (KeywordDetector) SecretDetectors.byId(StripeKeyDetector.ID),
              List.of("sk_live_", "rk_live_"),
              Pattern.compile("[sr]k_live_[A-Za-z0-9]{24,99}(?![A-Za-z0-9_])"),
              107,
              DEFAULT_WORD),
          new Spec(
              (KeywordDetector) SecretDetectors.byId(PrivateKeyDetector.ID),
              List.of("-----BEGIN "),
              Pattern.compile(
                  "-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----"),
              48,
              c -> false),
          new Spec(
              (KeywordDetector) SecretDetectors.byId(JwtDetector.ID),
              List.of("eyJ"),
              Pattern.compile(
                  "eyJ[A-Za-z0-9_-]{8,2048}\\.eyJ[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{16,2048}"
                      + "(?![A-Za-z0-9_\\-.])"),
              12300,
              DEFAULT_WORD));

  static Spec spec(String id) {
    for (var s : SPECS) {
      if (s.detector().id().equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException(id);
  }

  /** Every non-overlapping match of one keyword detector in {@code text}, by start. */
  static List<SecretMatch> keywordMatches(Spec s, String text) {
    var out = new ArrayList<SecretMatch>();
    int from = 0;
    for (int p = 0; p < text.length(); p++) {
      if (p < from || (p > 0 && s.wordChar().test(text.charAt(p - 1)))) {
        continue;
      }
      int at = p;
      if (s.keywords().stream().noneMatch(k -> text.startsWith(k, at))) {
        continue;
      }
      var m = s.pattern().matcher(text);
      m.useTransparentBounds(true);
      m.region(p, Math.min(text.length(), p + s.maxLength() + 1));
      if (m.lookingAt() && s.detector().accept(text, m.start(), m.end())) {
        out.add(
            new SecretMatch(
                s.detector().id(),
                s.detector().redact(text, m.start(), m.end()),
                m.start(),
                m.end()));
        from = m.end();
      }
    }
    return out;
  }

  private static boolean keyChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '/'
        || c == '+';
  }

  /** "secret" (any case, starting with an ASCII s) starting in [from, to - 6]. */
  private static boolean secretWord(String text, int from, int to) {
    for (int i = Math.max(0, from); i + 6 <= to; i++) {
      if (text.substring(i, i + 6).toLowerCase(Locale.ROOT).equals("secret")
          && (text.charAt(i) == 's' || text.charAt(i) == 'S')) {
        return true;
      }
    }
    return false;
  }

  /** AWS secret access keys in one text, given whether the unit/name gives context. */
  static List<SecretMatch> secretKeys(String text, boolean context) {
    var out = new ArrayList<SecretMatch>();
    int i = 0;
    while (i < text.length()) {
      if (!keyChar(text.charAt(i))) {
        i++;
        continue;
      }
      int end = i;
      while (end < text.length() && keyChar(text.charAt(end))) {
        end++;
      }
      if (end - i == 40
          && (end == text.length() || text.charAt(end) != '=')
          && (context || secretWord(text, i - 64, i))
          && AwsSecretAccessKeyDetector.accept(text, i, end)) {
        out.add(
            new SecretMatch(AwsSecretAccessKeyDetector.ID, "(40-char secret redacted)", i, end));
      }
      i = end;
    }
    return out;
  }

  /** The old, allocating secret-ish name check (upper-case copy, then contains/endsWith). */
  static boolean secretish(String name) {
    if (name == null || name.isEmpty() || name.toUpperCase(Locale.ROOT).contains("TOKENIZ")) {
      return false;
    }
    var upper = name.toUpperCase(Locale.ROOT).replace('.', '_');
    for (var suffix : SecretNames.NOT_A_VALUE_SUFFIXES) {
      if (upper.endsWith(suffix)) {
        return false;
      }
    }
    for (var w : SecretNames.WORDS) {
      if (upper.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** What one detector finds in one text on its own (its prefilter + scan), by start. */
  static List<SecretMatch> detector(String id, String name, String text, ScanHints hints) {
    if (id.equals(AwsSecretAccessKeyDetector.ID)) {
      return text.length() < 40
          ? List.of()
          : secretKeys(text, hints.keyIdNearby() || secretish(name));
    }
    var d = SecretDetectors.byId(id);
    if (!(d instanceof KeywordDetector)) {
      // Whole-text detectors: their own prefilter + one pass is the definition.
      var out = new ArrayList<SecretMatch>();
      if (d.prefilter(name, text, hints)) {
        d.scan(name, text, hints, out);
      }
      return out;
    }
    return keywordMatches(spec(id), text);
  }

  /** The unit scan: hits by detector order, then text index, then start. */
  static List<SecretDetectors.Hit> scanUnit(List<SecretDetectors.Text> unit, Set<String> enabled) {
    boolean keyIdNearby = false;
    for (var t : unit) {
      if (t.text() != null
          && !keywordMatches(spec(AwsAccessKeyIdDetector.ID), t.text().toString()).isEmpty()) {
        keyIdNearby = true;
      }
    }
    var hints = keyIdNearby ? ScanHints.KEY_ID_NEARBY : ScanHints.NONE;
    var hits = new ArrayList<SecretDetectors.Hit>();
    for (var id : SecretDetectors.all().keySet()) {
      if (!enabled.contains(id)) {
        continue;
      }
      for (int i = 0; i < unit.size(); i++) {
        var t = unit.get(i);
        if (t.text() == null) {
          continue;
        }
        var found = new ArrayList<>(detector(id, t.name(), t.text().toString(), hints));
        found.sort(Comparator.comparingInt(SecretMatch::start));
        for (var m : found) {
          hits.add(new SecretDetectors.Hit(i, m));
        }
      }
    }
    // One credential, one report: a password-assignment or connection-string match that overlaps
    // another detector's match in the same text is dropped.
    var generic = Set.of(PasswordAssignmentDetector.ID, ConnectionStringDetector.ID);
    return hits.stream()
        .filter(
            h ->
                !generic.contains(h.match().detectorId())
                    || hits.stream()
                        .noneMatch(
                            o ->
                                o.textIndex() == h.textIndex()
                                    && !generic.contains(o.match().detectorId())
                                    && o.match().start() < h.match().end()
                                    && h.match().start() < o.match().end()))
        .toList();
  }
}
