package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the admission webhook does with a violation, from strictest to most lenient. */
public enum Enforcement {
  /** Reject the request (403) with a message. */
  @JsonProperty("Deny")
  DENY,
  /** Allow the request and return warnings that kubectl prints. */
  @JsonProperty("Warn")
  WARN,
  /** Allow silently; record the violation in metrics and Findings. */
  @JsonProperty("Audit")
  AUDIT;

  /** The stricter of two enforcement actions. */
  public Enforcement strictest(Enforcement other) {
    return other == null || ordinal() <= other.ordinal() ? this : other;
  }

  /** The wire value, as written in YAML. */
  public String wireValue() {
    return switch (this) {
      case DENY -> "Deny";
      case WARN -> "Warn";
      case AUDIT -> "Audit";
    };
  }
}
