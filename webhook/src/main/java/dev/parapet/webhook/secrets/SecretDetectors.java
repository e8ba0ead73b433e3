package dev.parapet.webhook.secrets;

import dev.parapet.webhook.budget.Deadline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The detector catalogue and the scan of one unit of texts (a container's env + args, a ConfigMap,
 * an annotation map). One pass over each text finds the keywords of every detector (and the word
 * "secret"); detectors then only check at those positions. Key ids are resolved first so that
 * secret keys "next to" them are recognised anywhere in the same unit.
 */
public final class SecretDetectors {
  /** A text to scan with its name (env var, ConfigMap key, annotation key; may be null). */
  public record Text(String name, CharSequence text) {}

  /** A match together with the index of the text (in the unit) it was found in. */
  public record Hit(int textIndex, SecretMatch match) {}

  private static final Map<String, SecretDetector> ALL = new LinkedHashMap<>();
  private static final SecretDetector[] ORDER;
  private static final int KEY_ID;
  private static final int SECRET_KEY;
  private static final int SECRET_WORD = -1;

  /** One keyword: its chars and the index of its detector in ORDER (or SECRET_WORD). */
  private record Keyword(char[] chars, int detector) {
    Keyword(String text, int detector) {
      this(text.toCharArray(), detector);
    }
  }

  /**
   * Keywords by their first two characters (both ASCII; every keyword starts with two ASCII chars
   * and has at least 3): {@code PAIR[c0 << 7 | c1]} is 1 + the index of the group in {@code
   * GROUPS}, 0 for none.
   */
  private static final byte[] PAIR = new byte[128 * 128];

  /**
   * Pairs of ASCII chars that start a keyword ({@code AT_0}) or are its 2nd and 3rd chars ({@code
   * AT_1}), indexed like PAIR.
   */
  private static final byte[] BIGRAM = new byte[128 * 128];

  private static final int AT_0 = 1;
  private static final int AT_1 = 2;
  private static final List<Keyword[]> GROUP_LIST = new ArrayList<>();
  private static final Keyword[][] GROUPS;
  private static final int MIN_KEYWORD = 3;

  static {
    for (var d :
        List.of(
            new AwsAccessKeyIdDetector(),
            new AwsSecretAccessKeyDetector(),
            new GitHubTokenDetector(),
            new GitLabTokenDetector(),
            new SlackTokenDetector(),
            new StripeKeyDetector(),
            new PrivateKeyDetector(),
            new JwtDetector(),
            new PasswordAssignmentDetector(),
            new ConnectionStringDetector())) {
      ALL.put(d.id(), d);
    }
    ORDER = ALL.values().toArray(SecretDetector[]::new);
    KEY_ID = indexOf(AwsAccessKeyIdDetector.ID);
    SECRET_KEY = indexOf(AwsSecretAccessKeyDetector.ID);
    for (int i = 0; i < ORDER.length; i++) {
      for (var k : ORDER[i].keywords()) {
        if (k.length() < MIN_KEYWORD
            || k.charAt(0) >= 128
            || k.charAt(1) >= 128
            || k.charAt(2) >= 128) {
          throw new IllegalStateException("keyword " + k + " of " + ORDER[i].id());
        }
        add(k.charAt(0), k.charAt(1), new Keyword(k, i));
        BIGRAM[k.charAt(1) << 7 | k.charAt(2)] |= AT_1;
      }
    }
    // Case-insensitive: one entry per possible pair of first characters.
    var secret = new Keyword("secret", SECRET_WORD);
    for (char s : new char[] {'s', 'S'}) {
      for (char e : new char[] {'e', 'E'}) {
        add(s, e, secret);
      }
    }
    for (char e : new char[] {'e', 'E'}) {
      for (char c : new char[] {'c', 'C'}) {
        BIGRAM[e << 7 | c] |= AT_1;
      }
    }
    GROUPS = GROUP_LIST.toArray(Keyword[][]::new);
  }

  private static int indexOf(String id) {
    for (int i = 0; i < ORDER.length; i++) {
      if (ORDER[i].id().equals(id)) {
        return i;
      }
    }
    throw new IllegalStateException(id);
  }

  private static void add(char c0, char c1, Keyword k) {
    int slot = c0 << 7 | c1;
    if (PAIR[slot] == 0) {
      GROUP_LIST.add(new Keyword[0]);
      PAIR[slot] = (byte) GROUP_LIST.size();
    }
    int g = PAIR[slot] - 1;
    var old = GROUP_LIST.get(g);
    var now = Arrays.copyOf(old, old.length + 1);
    now[old.length] = k;
    GROUP_LIST.set(g, now);
    BIGRAM[slot] |= AT_0;
  }

  private SecretDetectors() {}

  /** Every detector, by id, in a stable order. */
  public static Map<String, SecretDetector> all() {
    return ALL;
  }

  public static SecretDetector byId(String id) {
    return ALL.get(id);
  }

  /**
   * Keyword occurrences in one text: positions, detector indexes (or SECRET_WORD) and keyword
   * lengths, in text order.
   */
  private static final class Occurrences {
    int[] pos = new int[16];
    int[] det = new int[16];
    int[] len = new int[16];
    int n;

    void add(int p, int d, int l) {
      if (n == pos.length) {
        pos = Arrays.copyOf(pos, n * 2);
        det = Arrays.copyOf(det, n * 2);
        len = Arrays.copyOf(len, n * 2);
      }
      pos[n] = p;
      det[n] = d;
      len[n++] = l;
    }
  }

  /** A reusable copy of the text being scanned. */
  private static final class Scratch {
    private char[] chars = new char[512];

    char[] chars(CharSequence text) {
      if (chars.length < text.length()) {
        chars = new char[Math.max(text.length(), chars.length * 2)];
      }
      Chars.getChars(text, chars);
      return chars;
    }
  }

  /** ASCII case-insensitive "cret" at {@code i} (the rest of "secret"). */
  private static boolean cretAt(char[] text, int i) {
    return (text[i] | 0x20) == 'c'
        && (text[i + 1] | 0x20) == 'r'
        && (text[i + 2] | 0x20) == 'e'
        && (text[i + 3] | 0x20) == 't';
  }

  /**
   * The single keyword pass: every keyword of an enabled detector, and the word "secret" (any
   * case). It reads two characters at every even position: a keyword starting at {@code p} (at
   * least 3 chars) puts its first two chars at the even position {@code p} or its chars 1-2 at the
   * even position {@code p + 1}, so one table load on that pair ({@code BIGRAM}) rejects almost
   * every position of ordinary text, and only the candidates left are checked.
   */
  private static Occurrences keywords(
      CharSequence text,
      boolean[] enabled,
      boolean wantSecretWord,
      Scratch scratch,
      Deadline deadline) {
    var o = new Occurrences();
    int len = text.length();
    // A plain char array: String.charAt re-checks the string's coding on every call.
    var chars = scratch.chars(text);
    for (int i = 0; i + 1 < len; i += 2) {
      if ((i & (Deadline.CHECK_EVERY - 1)) == 0) {
        deadline.check();
      }
      char c = chars[i];
      char d = chars[i + 1];
      if ((c | d) >= 128) {
        continue;
      }
      int b = BIGRAM[c << 7 | d];
      if (b == 0) {
        continue;
      }
      if ((b & AT_1) != 0 && i > 0) {
        keywordAt(chars, len, i - 1, enabled, wantSecretWord, o);
      }
      if ((b & AT_0) != 0) {
        keywordAt(chars, len, i, enabled, wantSecretWord, o);
      }
    }
    return o;
  }

  /** Records the keyword(s) starting at {@code i}, if any. */
  private static void keywordAt(
      char[] text, int len, int i, boolean[] enabled, boolean wantSecretWord, Occurrences o) {
    if (i + MIN_KEYWORD > len) {
      return;
    }
    char c = text[i];
    char d = text[i + 1];
    int g = (c | d) < 128 ? PAIR[c << 7 | d] : 0;
    if (g == 0) {
      return;
    }
    for (var k : GROUPS[g - 1]) {
      if (k.detector() == SECRET_WORD) {
        if (wantSecretWord && i + 6 <= len && cretAt(text, i + 2)) {
          o.add(i, SECRET_WORD, 6);
        }
      } else if (enabled[k.detector()] && restMatches(text, len, i, k.chars())) {
        o.add(i, k.detector(), k.chars().length);
      }
    }
  }

  /** {@code keyword} at {@code i}, whose first two chars are known to match. */
  private static boolean restMatches(char[] text, int len, int i, char[] keyword) {
    int n = keyword.length;
    if (i + n > len) {
      return false;
    }
    for (int j = 2; j < n; j++) {
      if (text[i + j] != keyword[j]) {
        return false;
      }
    }
    return true;
  }

  private static boolean[] enabledMask(Set<String> enabled) {
    var mask = new boolean[ORDER.length];
    for (int i = 0; i < ORDER.length; i++) {
      mask[i] = enabled.contains(ORDER[i].id());
    }
    return mask;
  }

  /** Scans every text of one unit with the enabled detectors. */
  public static List<Hit> scanUnit(List<Text> unit, Set<String> enabled) {
    return scanUnit(unit, enabled, Deadline.NONE, false);
  }

  public static List<Hit> scanUnit(List<Text> unit, Set<String> enabled, Deadline deadline) {
    return scanUnit(unit, enabled, deadline, false);
  }

  /**
   * Scans every text of one unit with the enabled detectors, checking {@code deadline} as it goes.
   *
   * @throws dev.parapet.webhook.budget.NotFullyChecked once the deadline has passed
   */
  public static List<Hit> scanUnit(
      List<Text> unit, Set<String> enabled, Deadline deadline, boolean namesAreConfigKeys) {
    var mask = enabledMask(enabled);
    boolean wantSecret = mask[SECRET_KEY];
    var search = mask.clone();
    search[KEY_ID] |= wantSecret;
    var occurrences = new Occurrences[unit.size()];
    @SuppressWarnings("unchecked")
    List<SecretMatch>[] keyIdMatches = new List[unit.size()];
    var hits = new ArrayList<Hit>();
    var scratch = new ArrayList<SecretMatch>();
    var keyIds = (KeywordDetector) ORDER[KEY_ID];
    var copy = new Scratch();
    boolean keyIdNearby = false;
    for (int i = 0; i < unit.size(); i++) {
      var t = unit.get(i).text();
      if (t == null) {
        continue;
      }
      deadline.check();
      var o = keywords(t, search, wantSecret, copy, deadline);
      occurrences[i] = o;
      for (int j = 0; j < o.n; j++) {
        if (o.det[j] == KEY_ID) {
          scratch.clear();
          keyIds.scanAt(t, o.pos[j], o.len[j], scratch);
          keyIdNearby |= !scratch.isEmpty();
          if (mask[KEY_ID]) {
            for (var m : scratch) {
              hits.add(new Hit(i, m));
              if (keyIdMatches[i] == null) {
                keyIdMatches[i] = new ArrayList<>();
              }
              keyIdMatches[i].add(m);
            }
          }
        }
      }
    }
    var hints = new ScanHints(keyIdNearby, namesAreConfigKeys);
    // Detectors that scan a whole text themselves (one linear pass) once a keyword occurs in it.
    var present = new boolean[ORDER.length];
    // Per detector: where its next match may start (matches of one detector never overlap).
    var from = new int[ORDER.length];
    for (int i = 0; i < unit.size(); i++) {
      var o = occurrences[i];
      if (o == null) {
        continue;
      }
      var t = unit.get(i);
      var text = t.text();
      deadline.check();
      scratch.clear();
      Arrays.fill(from, 0);
      Arrays.fill(present, false);
      for (int j = 0; j < o.n; j++) {
        if ((j & 4095) == 4095) {
          deadline.check();
        }
        int d = o.det[j];
        if (d >= 0 && !(ORDER[d] instanceof KeywordDetector)) {
          present[d] = true;
        } else if (d != KEY_ID && d != SECRET_WORD && o.pos[j] >= from[d]) {
          int before = scratch.size();
          ((KeywordDetector) ORDER[d]).scanAt(text, o.pos[j], o.len[j], scratch);
          if (scratch.size() > before) {
            // Skip this detector's keywords inside the credential just found ("eyJ" in a JWT).
            from[d] = scratch.get(scratch.size() - 1).end();
          }
        }
      }
      for (int d = 0; d < ORDER.length; d++) {
        if (mask[d]
            && ORDER[d] instanceof PasswordAssignmentDetector
            && namesAreConfigKeys
            && PasswordAssignmentDetector.isPasswordKey(t.name())) {
          present[d] = true;
        }
        if (present[d] && mask[d]) {
          deadline.check();
          ORDER[d].scan(t.name(), text, hints, scratch);
        }
      }
      if (wantSecret && text.length() >= AwsSecretAccessKeyDetector.LENGTH) {
        deadline.check();
        var secretKeys = (AwsSecretAccessKeyDetector) ORDER[SECRET_KEY];
        if (keyIdNearby || SecretNames.isSecretish(t.name())) {
          secretKeys.scan(t.name(), text, hints, scratch);
        } else {
          // Only the runs starting in the 64 chars after each "secret" can be reported.
          int done = 0;
          for (int j = 0; j < o.n; j++) {
            if (o.det[j] == SECRET_WORD) {
              done = secretKeys.scanAfterSecretWord(text, o.pos[j], done, scratch);
            }
          }
        }
      }
      for (var m : withoutGenericOverlaps(scratch, keyIdMatches[i], text.length())) {
        hits.add(new Hit(i, m));
      }
    }
    if (hits.size() > 1) {
      hits.sort(
          Comparator.<Hit>comparingInt(h -> indexOf(h.match().detectorId()))
              .thenComparingInt(Hit::textIndex)
              .thenComparingInt(h -> h.match().start()));
    }
    return hits;
  }

  /** Detectors of a class of secret rather than a format: a specific detector's hit wins. */
  private static boolean isGeneric(String detectorId) {
    return detectorId.equals(PasswordAssignmentDetector.ID)
        || detectorId.equals(ConnectionStringDetector.ID);
  }

  /**
   * The matches of one text without the generic ones ({@code password-assignment}, {@code
   * connection-string}) that overlap a specific detector's match (an AWS key, a GitHub token ...):
   * one credential is reported once, by its most precise detector. Linear: the specific matches are
   * marked in a bit set (matches of one detector never overlap).
   */
  private static List<SecretMatch> withoutGenericOverlaps(
      List<SecretMatch> matches, List<SecretMatch> keyIds, int length) {
    boolean generic = false;
    boolean specific = keyIds != null && !keyIds.isEmpty();
    for (var m : matches) {
      if (isGeneric(m.detectorId())) {
        generic = true;
      } else {
        specific = true;
      }
    }
    if (!generic || !specific) {
      return matches;
    }
    var covered = new java.util.BitSet(length);
    for (var m : matches) {
      if (!isGeneric(m.detectorId())) {
        covered.set(m.start(), m.end());
      }
    }
    if (keyIds != null) {
      for (var m : keyIds) {
        covered.set(m.start(), m.end());
      }
    }
    var out = new ArrayList<SecretMatch>(matches.size());
    for (var m : matches) {
      if (!isGeneric(m.detectorId())) {
        out.add(m);
      } else {
        int next = covered.nextSetBit(m.start());
        if (next < 0 || next >= m.end()) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /**
   * The keyword pass alone (no pattern, entropy or allowlist): the baseline of the D1 benchmark.
   * Returns the number of keyword occurrences found.
   */
  public static int prefilterOnly(List<Text> unit, Set<String> enabled) {
    var mask = enabledMask(enabled);
    var copy = new Scratch();
    int n = 0;
    for (var t : unit) {
      if (t.text() != null) {
        n += keywords(t.text(), mask, mask[SECRET_KEY], copy, Deadline.NONE).n;
      }
    }
    return n;
  }
}
