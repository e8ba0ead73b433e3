package dev.parapet.operator.aws.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads what Prowler writes, for the Prowler comparison ({@link ProwlerComparison}): its OCSF JSON
 * findings, the CIS compliance mapping shipped in its package, its "Executing N checks" line and
 * its {@code --list-services} output. Pure parsing, unit-tested by {@code ProwlerOutputTest} in the
 * default test run.
 */
final class ProwlerOutput {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
  private static final Pattern EXECUTING = Pattern.compile("Executing (\\d+) checks?\\b");
  private static final Pattern SERVICE_LINE = Pattern.compile("^- ([a-z0-9-]+)\\s*$");

  private ProwlerOutput() {}

  /** One Prowler finding: the check that produced it and its status (PASS, FAIL, MANUAL). */
  record Finding(String checkId, String status) {
    boolean judged() {
      return "PASS".equals(status) || "FAIL".equals(status);
    }
  }

  /** One recommendation of a compliance framework and the Prowler checks mapped to it. */
  record Requirement(String id, List<String> checks, boolean automated) {}

  /** The findings of an OCSF JSON output file (a JSON array; empty text means no finding). */
  static List<Finding> findings(String ocsfJson) {
    if (ocsfJson.isBlank()) {
      return List.of();
    }
    var out = new ArrayList<Finding>();
    for (var n : read(ocsfJson)) {
      var check = n.at("/metadata/event_code").asText("");
      var status = n.path("status_code").asText("");
      if (check.isEmpty()) {
        throw new IllegalArgumentException("an OCSF finding without metadata.event_code: " + n);
      }
      out.add(new Finding(check, status.toUpperCase(java.util.Locale.ROOT)));
    }
    return out;
  }

  /** The requirements of a Prowler compliance file (e.g. compliance/aws/cis_5.0_aws.json). */
  static Map<String, Requirement> requirements(String complianceJson) {
    var out = new LinkedHashMap<String, Requirement>();
    for (var r : read(complianceJson).path("Requirements")) {
      var checks = new ArrayList<String>();
      r.path("Checks").forEach(c -> checks.add(c.asText()));
      var automated = false;
      for (var a : r.path("Attributes")) {
        automated |= "Automated".equals(a.path("AssessmentStatus").asText());
      }
      out.put(r.path("Id").asText(), new Requirement(r.path("Id").asText(), checks, automated));
    }
    return out;
  }

  /** Requirement ids with at least one PASS or FAIL finding of one of their checks. */
  static Set<String> judged(Map<String, Requirement> requirements, Collection<Finding> findings) {
    var judgedChecks = new TreeSet<String>();
    findings.stream().filter(Finding::judged).forEach(f -> judgedChecks.add(f.checkId()));
    var out = new TreeSet<String>(CIS_ORDER);
    requirements.values().stream()
        .filter(r -> r.checks().stream().anyMatch(judgedChecks::contains))
        .forEach(r -> out.add(r.id()));
    return out;
  }

  /** Distinct check ids among the findings. */
  static Set<String> checks(Collection<Finding> findings) {
    var out = new TreeSet<String>();
    findings.forEach(f -> out.add(f.checkId()));
    return out;
  }

  /** The N of Prowler's "Executing N checks, please wait..." line, colours stripped. */
  static OptionalInt executedChecks(String stdout) {
    var m = EXECUTING.matcher(ANSI.matcher(stdout).replaceAll(""));
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  /** The service names of {@code prowler aws --list-services} ("- name" lines). */
  static Set<String> services(String listServicesOutput) {
    var out = new TreeSet<String>();
    for (var line : ANSI.matcher(listServicesOutput).replaceAll("").split("\\R")) {
      var m = SERVICE_LINE.matcher(line);
      if (m.matches()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /**
   * Prowler's services for Parapet's (the services of its rules' IAM actions): the same AWS
   * services under Prowler's names, e.g. {@code ec2} is Prowler's {@code ec2} and {@code vpc} (flow
   * logs and network ACLs), {@code lambda} its {@code awslambda}; names Prowler does not know are
   * dropped.
   */
  static Set<String> prowlerServices(Collection<String> parapetServices, Set<String> known) {
    var out = new TreeSet<String>();
    for (var s : parapetServices) {
      var mapped =
          switch (s) {
            case "ec2" -> List.of("ec2", "vpc");
            case "lambda" -> List.of("awslambda");
            case "elb", "elasticloadbalancing" -> List.of("elb", "elbv2");
            case "logs", "monitoring", "cloudwatch" -> List.of("cloudwatch");
            case "access-analyzer" -> List.of("accessanalyzer");
            case "elasticfilesystem" -> List.of("efs");
            case "sts" -> List.<String>of();
            default -> List.of(s);
          };
      mapped.stream().filter(known::contains).forEach(out::add);
    }
    return out;
  }

  /** CIS recommendation ids in numeric order: 1.2 before 1.10, 4.16 after 4.2. */
  static final java.util.Comparator<String> CIS_ORDER =
      (a, b) -> {
        var x = a.split("\\.");
        var y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
          var c = compareParts(x[i], y[i]);
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(x.length, y.length);
      };

  private static int compareParts(String a, String b) {
    try {
      return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
    } catch (NumberFormatException e) {
      return a.compareTo(b);
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + e.getMessage(), e);
    }
  }
}
