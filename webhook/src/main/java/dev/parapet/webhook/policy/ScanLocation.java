package dev.parapet.webhook.policy;

/** Where credential detectors look. */
public enum ScanLocation {
  /** Container env {@code value}s (and env names for the secret-ish-name rule). */
  env,
  /** Container {@code args} and {@code command}. */
  args,
  /** ConfigMap {@code data} and {@code binaryData}. */
  configMaps,
  /** Object and pod-template annotations. */
  annotations
}
