package dev.parapet.webhook.secrets;

/**
 * What a detector may know about the surroundings of a text: whether a literal AWS access key id
 * sits in the same unit (the same container's env/args, the same ConfigMap or annotation map).
 */
public record ScanHints(boolean keyIdNearby) {
  public static final ScanHints NONE = new ScanHints(false);
  public static final ScanHints KEY_ID_NEARBY = new ScanHints(true);
}
