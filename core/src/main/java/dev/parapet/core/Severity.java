package dev.parapet.core;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Severity of a rule or finding, ordered from most to least severe. */
public enum Severity {
  @JsonProperty("critical")
  CRITICAL,
  @JsonProperty("high")
  HIGH,
  @JsonProperty("medium")
  MEDIUM,
  @JsonProperty("low")
  LOW,
  @JsonProperty("informational")
  INFORMATIONAL;

  /** The lower-case wire value, as used in labels and YAML. */
  public String wireValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** True when this severity is at least as severe as {@code other}. */
  public boolean atLeast(Severity other) {
    return ordinal() <= other.ordinal();
  }
}
