package dev.parapet.webhook.secrets;

/**
 * A credential found by a detector. Holds only a redacted form and offsets: the value itself never
 * leaves the detector.
 */
public record SecretMatch(String detectorId, String redacted, int start, int end) {}
