package dev.parapet.webhook.secrets;

import dev.parapet.webhook.budget.Deadline;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The credential scan of an object's values, one {@link Unit} at a time (a container's env, args
 * and command; an annotation map; a ConfigMap's data): the enabled detectors ({@link
 * SecretDetectors#scanUnit}) and a policy's own ({@link CustomDetector}), with each AWS secret key
 * paired with the key id found in the same unit. The caller says what the values are and where they
 * sit; a value's field path is only built when it holds a credential.
 */
public final class CredentialScan {
  private CredentialScan() {}

  /** Where a value sits, as parts: the path string is only built for a value that is reported. */
  public record FieldRef(String prefix, String open, Object index, String close) {
    public String path() {
      return prefix + open + (index instanceof String s ? Shown.name(s) : index) + close;
    }
  }

  /**
   * One value: its name (env var, annotation or ConfigMap key; null for args), its text, where it
   * sits and the caller's tag for it (the scan location).
   */
  public record Value<T>(String name, String text, FieldRef ref, T tag) {}

  /**
   * A credential in one value: the detector, its redacted form and, for an AWS secret key, the
   * redacted key id found in the same unit (or null). Never holds the credential itself.
   */
  public record Found<T>(Value<T> value, String detectorId, String redacted, String pairedKeyId) {}

  /** Values scanned together: an AWS secret key is recognised next to a key id of the same unit. */
  public static final class Unit<T> {
    private final List<Value<T>> values = new ArrayList<>();
    private final boolean namesAreConfigKeys;

    /**
     * @param namesAreConfigKeys the values' names are configuration keys (a ConfigMap's), so a
     *     password-like key marks its whole value
     */
    public Unit(boolean namesAreConfigKeys) {
      this.namesAreConfigKeys = namesAreConfigKeys;
    }

    public void add(String name, String text, FieldRef ref, T tag) {
      values.add(new Value<>(name, text, ref, tag));
    }

    /** A base64 value (ConfigMap {@code binaryData}), scanned decoded (or as it is if invalid). */
    public void addBase64(String name, String base64, FieldRef ref, T tag) {
      add(name, decode(base64), ref, tag);
    }

    /** The non-empty strings of a list (args, command), each as {@code path + open + i + "]"}. */
    public void addList(List<String> list, String path, String open, T tag) {
      for (int i = 0; i < list.size(); i++) {
        var v = list.get(i);
        if (v != null && !v.isEmpty()) {
          add(null, v, new FieldRef(path, open, i, "]"), tag);
        }
      }
    }

    public boolean isEmpty() {
      return values.isEmpty();
    }
  }

  private static String decode(String b64) {
    try {
      return new String(Base64.getMimeDecoder().decode(b64), StandardCharsets.ISO_8859_1);
    } catch (IllegalArgumentException e) {
      return b64;
    }
  }

  /**
   * Every credential in the unit's values.
   *
   * @throws dev.parapet.webhook.budget.NotFullyChecked once {@code deadline} has passed
   */
  public static <T> List<Found<T>> scan(
      Unit<T> unit, Set<String> detectors, List<CustomDetector> custom, Deadline deadline) {
    var values = unit.values;
    if (values.isEmpty() || (detectors.isEmpty() && custom.isEmpty())) {
      return List.of();
    }
    var texts = new ArrayList<SecretDetectors.Text>(values.size());
    for (var v : values) {
      texts.add(new SecretDetectors.Text(v.name(), v.text()));
    }
    var hits =
        detectors.isEmpty()
            ? new ArrayList<SecretDetectors.Hit>()
            : new ArrayList<>(
                SecretDetectors.scanUnit(texts, detectors, deadline, unit.namesAreConfigKeys));
    if (!custom.isEmpty()) {
      var found = new ArrayList<SecretMatch>();
      for (var d : custom) {
        for (int i = 0; i < texts.size(); i++) {
          deadline.check();
          found.clear();
          d.scan(texts.get(i).text(), found, deadline);
          for (var m : found) {
            hits.add(new SecretDetectors.Hit(i, m));
          }
        }
      }
    }
    String keyId = null;
    for (var h : hits) {
      if (h.match().detectorId().equals(AwsAccessKeyIdDetector.ID)) {
        keyId = h.match().redacted();
        break;
      }
    }
    var out = new ArrayList<Found<T>>(hits.size());
    for (var h : hits) {
      boolean secretKey = h.match().detectorId().equals(AwsSecretAccessKeyDetector.ID);
      out.add(
          new Found<>(
              values.get(h.textIndex()),
              h.match().detectorId(),
              h.match().redacted(),
              secretKey ? keyId : null));
    }
    return out;
  }
}
