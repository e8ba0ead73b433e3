package dev.parapet.webhook.secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The detector catalogue and the scan of one unit of texts (a container's env + args, a ConfigMap,
 * an annotation map). Key ids are found first so that secret keys "next to" them are recognised
 * anywhere in the same unit.
 */
public final class SecretDetectors {
  /** A text to scan with its name (env var, ConfigMap key, annotation key; may be null). */
  public record Text(String name, String text) {}

  /** A match together with the index of the text (in the unit) it was found in. */
  public record Hit(int textIndex, SecretMatch match) {}

  private static final Map<String, SecretDetector> ALL = new LinkedHashMap<>();

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
  }

  private SecretDetectors() {}

  /** Every detector, by id, in a stable order. */
  public static Map<String, SecretDetector> all() {
    return ALL;
  }

  public static SecretDetector byId(String id) {
    return ALL.get(id);
  }

  /** Scans every text of one unit with the enabled detectors. */
  public static List<Hit> scanUnit(List<Text> unit, Set<String> enabled) {
    var hits = new ArrayList<Hit>();
    var scratch = new ArrayList<SecretMatch>();
    boolean keyIdNearby = false;
    var keyIds = ALL.get(AwsAccessKeyIdDetector.ID);
    boolean wantKeyIds = enabled.contains(AwsAccessKeyIdDetector.ID);
    boolean wantSecretKeys = enabled.contains(AwsSecretAccessKeyDetector.ID);
    if (wantKeyIds || wantSecretKeys) {
      for (int i = 0; i < unit.size(); i++) {
        var t = unit.get(i);
        if (t.text() != null && keyIds.prefilter(t.name(), t.text(), ScanHints.NONE)) {
          scratch.clear();
          keyIds.scan(t.name(), t.text(), ScanHints.NONE, scratch);
          keyIdNearby |= !scratch.isEmpty();
          if (wantKeyIds) {
            for (var m : scratch) {
              hits.add(new Hit(i, m));
            }
          }
        }
      }
    }
    var hints = keyIdNearby ? ScanHints.KEY_ID_NEARBY : ScanHints.NONE;
    for (var d : ALL.values()) {
      if (d == keyIds || !enabled.contains(d.id())) {
        continue;
      }
      for (int i = 0; i < unit.size(); i++) {
        var t = unit.get(i);
        if (t.text() != null && d.prefilter(t.name(), t.text(), hints)) {
          scratch.clear();
          d.scan(t.name(), t.text(), hints, scratch);
          for (var m : scratch) {
            hits.add(new Hit(i, m));
          }
        }
      }
    }
    return hits;
  }

  /**
   * Only the keyword prefilters of the enabled detectors (no pattern, entropy or allowlist): the
   * baseline of the D1 benchmark. Returns how many detectors would go on to a full scan.
   */
  public static int prefilterOnly(List<Text> unit, Set<String> enabled) {
    int candidates = 0;
    for (var d : ALL.values()) {
      if (!enabled.contains(d.id())) {
        continue;
      }
      for (var t : unit) {
        if (t.text() != null && d.prefilter(t.name(), t.text(), ScanHints.NONE)) {
          candidates++;
        }
      }
    }
    return candidates;
  }
}
