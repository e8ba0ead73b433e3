package dev.parapet.webhook.secrets;

/**
 * What a detector may know about the surroundings of a text: whether a literal AWS access key id
 * sits in the same unit (the same container's env/args, the same ConfigMap or annotation map), and
 * whether the texts' names are ConfigMap keys (a password-like key then marks its whole value).
 */
public record ScanHints(boolean keyIdNearby, boolean namesAreConfigKeys) {
  public static final ScanHints NONE = new ScanHints(false, false);
  public static final ScanHints KEY_ID_NEARBY = new ScanHints(true, false);

  public ScanHints(boolean keyIdNearby) {
    this(keyIdNearby, false);
  }
}
