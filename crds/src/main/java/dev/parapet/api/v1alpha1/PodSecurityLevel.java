package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A level of the Kubernetes Pod Security Standards. The wire values are those of the {@code
 * pod-security.kubernetes.io/enforce} namespace label. Each level includes the ones before it.
 */
public enum PodSecurityLevel {
  /** No Pod Security Standards control is checked. */
  @JsonProperty("privileged")
  PRIVILEGED,
  /** The baseline controls (known privilege escalations). */
  @JsonProperty("baseline")
  BASELINE,
  /** The baseline controls and the restricted ones (hardening best practices). */
  @JsonProperty("restricted")
  RESTRICTED;

  /** Whether a policy at this level checks the controls of {@code level}. */
  public boolean includes(PodSecurityLevel level) {
    return level != PRIVILEGED && ordinal() >= level.ordinal();
  }

  /** The wire value, as written in YAML and in the namespace label. */
  public String wireValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
