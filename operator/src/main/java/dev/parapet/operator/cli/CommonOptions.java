package dev.parapet.operator.cli;

import dev.parapet.core.Severity;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options shared by {@code scan} and {@code check}. */
public class CommonOptions {

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table, wide, json, yaml or sarif (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(
      names = "--fail-on",
      defaultValue = "high",
      description =
          "Exit 1 when a finding at or above this severity is open: critical, high, medium, low,"
              + " informational, or none (default: ${DEFAULT-VALUE}). check also exits 1 on any"
              + " Deny verdict, whatever this says.")
  String failOn;

  @Option(
      names = "--lang",
      defaultValue = "en",
      description = "Language of titles and remediation: en or ja (default: ${DEFAULT-VALUE}).")
  String lang;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description = "PosturePolicy YAML (one or more documents). Without it, built-in defaults.")
  Path policy;

  OutputFormat format() {
    return OutputFormat.parse(output);
  }

  boolean japanese() {
    return switch (lang.toLowerCase(Locale.ROOT)) {
      case "ja" -> true;
      case "en" -> false;
      default -> throw new IllegalArgumentException("unknown --lang '" + lang + "': use en or ja");
    };
  }

  /** Null when --fail-on none. */
  Severity failOnSeverity() {
    var value = failOn.toLowerCase(Locale.ROOT);
    if (value.equals("none")) {
      return null;
    }
    for (var s : Severity.values()) {
      if (s.wireValue().equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown --fail-on '"
            + failOn
            + "': use critical, high, medium, low, informational or none");
  }
}
