package dev.parapet.operator.cli;

import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.core.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
      names = {"--lang", "--language"},
      description =
          "Language of titles and remediation: en or ja. Default: the spec.reporting.language of"
              + " the --policy file (the first policy by name that sets one), else ja when LC_ALL,"
              + " LC_MESSAGES or LANG (the first one set) starts with ja, else en.")
  String lang;

  /** The environment the default language is read from (tests replace it). */
  Map<String, String> env = System.getenv();

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description = "PosturePolicy YAML (one or more documents). Without it, built-in defaults.")
  Path policy;

  OutputFormat format() {
    return OutputFormat.parse(output);
  }

  boolean japanese() {
    if (lang == null) {
      return defaultLanguage() == PosturePolicySpec.Language.JA;
    }
    return switch (lang.toLowerCase(Locale.ROOT)) {
      case "ja" -> true;
      case "en" -> false;
      default -> throw new IllegalArgumentException("unknown --lang '" + lang + "': use en or ja");
    };
  }

  /**
   * The language without --lang: the policy file's {@code spec.reporting.language}, else the locale
   * of the environment (POSIX order: LC_ALL, LC_MESSAGES, LANG), else English. A policy file that
   * cannot be read gives no language here; loading it reports the problem.
   */
  PosturePolicySpec.Language defaultLanguage() {
    if (policy != null) {
      var declared = PolicyDocuments.declaredLanguage(policy);
      if (declared.isPresent()) {
        return declared.get();
      }
    }
    for (var name : List.of("LC_ALL", "LC_MESSAGES", "LANG")) {
      var value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value.toLowerCase(Locale.ROOT).startsWith("ja")
            ? PosturePolicySpec.Language.JA
            : PosturePolicySpec.Language.EN;
      }
    }
    return PosturePolicySpec.Language.EN;
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
