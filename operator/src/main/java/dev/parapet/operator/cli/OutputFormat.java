package dev.parapet.operator.cli;

import java.util.Locale;

/** Output formats of {@code parapet scan} and {@code parapet check}. */
public enum OutputFormat {
  TABLE,
  WIDE,
  JSON,
  YAML,
  SARIF;

  /** Parses {@code -o} values: table, wide, json, yaml, sarif. */
  public static OutputFormat parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown output format '" + value + "': use table, wide, json, yaml or sarif", e);
    }
  }
}
