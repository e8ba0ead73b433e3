package dev.parapet.webhook.secrets;

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
  public record Text(String name, String text) {}

  /** A match together with the index of the text (in the unit) it was found in. */
  public record Hit(int textIndex, SecretMatch match) {}

  private static final Map<String, SecretDetector> ALL = new LinkedHashMap<>();
  private static final SecretDetector[] ORDER;
  private static final int KEY_ID;
  private static final int SECRET_KEY;
  private static final int SECRET_WORD = -1;

  /** One keyword: its text and the index of its detector in ORDER (or SECRET_WORD). */
  private record Keyword(String text, int detector) {}

  /** Keywords by their first character (ASCII only; every keyword starts with ASCII). */
  private static final Keyword[][] BY_FIRST_CHAR = new Keyword[128][];

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
            new JwtDetector())) {
      ALL.put(d.id(), d);
    }
    ORDER = ALL.values().toArray(SecretDetector[]::new);
    KEY_ID = indexOf(AwsAccessKeyIdDetector.ID);
    SECRET_KEY = indexOf(AwsSecretAccessKeyDetector.ID);
    for (int i = 0; i < ORDER.length; i++) {
      for (var k : ORDER[i].keywords()) {
        add(new Keyword(k, i));
      }
    }
    // Case-insensitive: one entry per possible first character.
    add(new Keyword("secret", SECRET_WORD));
    add(new Keyword("SECRET", SECRET_WORD));
  }

  private static int indexOf(String id) {
    for (int i = 0; i < ORDER.length; i++) {
      if (ORDER[i].id().equals(id)) {
        return i;
      }
    }
    throw new IllegalStateException(id);
  }

  private static void add(Keyword k) {
    char c = k.text().charAt(0);
    var old = BY_FIRST_CHAR[c];
    var now = old == null ? new Keyword[1] : Arrays.copyOf(old, old.length + 1);
    now[now.length - 1] = k;
    BY_FIRST_CHAR[c] = now;
  }

  private SecretDetectors() {}

  /** Every detector, by id, in a stable order. */
  public static Map<String, SecretDetector> all() {
    return ALL;
  }

  public static SecretDetector byId(String id) {
    return ALL.get(id);
  }

  /** Keyword occurrences in one text: positions and detector indexes (or SECRET_WORD). */
  private static final class Occurrences {
    int[] pos = new int[16];
    int[] det = new int[16];
    int n;

    void add(int p, int d) {
      if (n == pos.length) {
        pos = Arrays.copyOf(pos, n * 2);
        det = Arrays.copyOf(det, n * 2);
      }
      pos[n] = p;
      det[n++] = d;
    }
  }

  /** The single keyword pass: every keyword of an enabled detector, and the word "secret". */
  private static Occurrences keywords(String text, boolean[] enabled, boolean wantSecretWord) {
    var o = new Occurrences();
    int len = text.length();
    for (int i = 0; i < len; i++) {
      char c = text.charAt(i);
      if (c >= 128) {
        continue;
      }
      var candidates = BY_FIRST_CHAR[c];
      if (candidates == null) {
        continue;
      }
      for (var k : candidates) {
        if (k.detector() == SECRET_WORD) {
          if (wantSecretWord
              && i + 6 <= len
              && (text.charAt(i + 1) | 0x20) == 'e'
              && text.regionMatches(true, i, "secret", 0, 6)) {
            o.add(i, SECRET_WORD);
          }
        } else if (enabled[k.detector()] && text.startsWith(k.text(), i)) {
          o.add(i, k.detector());
        }
      }
    }
    return o;
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
    var mask = enabledMask(enabled);
    boolean wantSecret = mask[SECRET_KEY];
    var search = mask.clone();
    search[KEY_ID] |= wantSecret;
    var occurrences = new Occurrences[unit.size()];
    var hits = new ArrayList<Hit>();
    var scratch = new ArrayList<SecretMatch>();
    boolean keyIdNearby = false;
    for (int i = 0; i < unit.size(); i++) {
      var t = unit.get(i).text();
      if (t == null) {
        continue;
      }
      var o = keywords(t, search, wantSecret);
      occurrences[i] = o;
      for (int j = 0; j < o.n; j++) {
        if (o.det[j] == KEY_ID) {
          scratch.clear();
          ORDER[KEY_ID].scanAt(t, o.pos[j], scratch);
          keyIdNearby |= !scratch.isEmpty();
          if (mask[KEY_ID]) {
            for (var m : scratch) {
              hits.add(new Hit(i, m));
            }
          }
        }
      }
    }
    var hints = keyIdNearby ? ScanHints.KEY_ID_NEARBY : ScanHints.NONE;
    for (int i = 0; i < unit.size(); i++) {
      var o = occurrences[i];
      if (o == null) {
        continue;
      }
      var t = unit.get(i);
      scratch.clear();
      for (int j = 0; j < o.n; j++) {
        if (o.det[j] != KEY_ID && o.det[j] != SECRET_WORD) {
          int before = scratch.size();
          ORDER[o.det[j]].scanAt(t.text(), o.pos[j], scratch);
          // Skip keywords inside the credential just found (e.g. "eyJ" inside a JWT).
          if (scratch.size() > before) {
            int end = scratch.get(scratch.size() - 1).end();
            while (j + 1 < o.n && o.pos[j + 1] < end && o.det[j + 1] == o.det[j]) {
              j++;
            }
          }
        }
      }
      if (wantSecret && t.text().length() >= AwsSecretAccessKeyDetector.LENGTH) {
        var secretKeys = (AwsSecretAccessKeyDetector) ORDER[SECRET_KEY];
        if (keyIdNearby || SecretNames.isSecretish(t.name())) {
          secretKeys.scan(t.name(), t.text(), hints, scratch);
        } else {
          // Only the 64 chars after each "secret" can start a reportable key.
          int done = 0;
          for (int j = 0; j < o.n; j++) {
            if (o.det[j] == SECRET_WORD) {
              done = secretKeys.scanAfterSecretWord(t.text(), o.pos[j], done, scratch);
            }
          }
        }
      }
      for (var m : scratch) {
        hits.add(new Hit(i, m));
      }
    }
    hits.sort(
        Comparator.<Hit>comparingInt(h -> indexOf(h.match().detectorId()))
            .thenComparingInt(Hit::textIndex)
            .thenComparingInt(h -> h.match().start()));
    return hits;
  }

  /**
   * The keyword pass alone (no pattern, entropy or allowlist): the baseline of the D1 benchmark.
   * Returns the number of keyword occurrences found.
   */
  public static int prefilterOnly(List<Text> unit, Set<String> enabled) {
    var mask = enabledMask(enabled);
    int n = 0;
    for (var t : unit) {
      if (t.text() != null) {
        n += keywords(t.text(), mask, mask[SECRET_KEY]).n;
      }
    }
    return n;
  }
}
