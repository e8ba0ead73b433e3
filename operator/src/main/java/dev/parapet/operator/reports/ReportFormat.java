package dev.parapet.operator.reports;

import java.util.Locale;

/**
 * The report APIs Parapet writes: the OpenReports {@code Report} (what Kyverno 1.15 and current
 * Policy Reporter read) and the older {@code wgpolicyk8s.io/v1alpha2} {@code PolicyReport}. Both
 * carry the same fields (source, scope, summary, results); only the group, version and kind differ.
 */
public enum ReportFormat {
  OPENREPORTS("openreports.io", "v1alpha1", "Report", "reports"),
  POLICYREPORT("wgpolicyk8s.io", "v1alpha2", "PolicyReport", "policyreports");

  private final String group;
  private final String version;
  private final String kind;
  private final String plural;

  ReportFormat(String group, String version, String kind, String plural) {
    this.group = group;
    this.version = version;
    this.kind = kind;
    this.plural = plural;
  }

  public String group() {
    return group;
  }

  public String apiVersion() {
    return group + "/" + version;
  }

  public String kind() {
    return kind;
  }

  public String plural() {
    return plural;
  }

  /** The CRD name, e.g. reports.openreports.io. */
  public String crdName() {
    return plural + "." + group;
  }

  /** openreports or policyreport (the configuration value). */
  public static ReportFormat parse(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "openreports", "report" -> OPENREPORTS;
      case "policyreport", "wgpolicyk8s" -> POLICYREPORT;
      default ->
          throw new IllegalArgumentException(
              "unknown report format '" + value + "': use openreports or policyreport");
    };
  }
}
