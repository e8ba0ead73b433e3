package dev.parapet.operator.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.core.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Renders findings as a kubectl-style table, a Kubernetes List (JSON/YAML), or SARIF 2.1.0. */
public final class FindingsOutput {

  static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String INFO_URI = "https://parapet.dev";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final String version;
  private final boolean japanese;

  public FindingsOutput(String version, boolean japanese) {
    this.version = version;
    this.japanese = japanese;
  }

  public String render(List<Reported> findings, OutputFormat format) {
    try {
      return switch (format) {
        case TABLE -> table(findings, false);
        case WIDE -> table(findings, true);
        case JSON -> JSON.writeValueAsString(kubernetesList(findings)) + "\n";
        case YAML -> YAML.writeValueAsString(kubernetesList(findings));
        case SARIF -> JSON.writeValueAsString(sarif(findings)) + "\n";
      };
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render findings: " + e.getOriginalMessage(), e);
    }
  }

  /** The columns {@code kubectl get findings} shows (AGE aside: these objects are not stored). */
  String table(List<Reported> findings, boolean wide) {
    if (findings.isEmpty()) {
      return "No findings.\n";
    }
    var header = new ArrayList<>(List.of("NAME", "SEVERITY", "RULE", "RESOURCE", "STATE"));
    if (wide) {
      header.addAll(List.of("ACCOUNT", "REGION", "TITLE"));
    }
    var rows = new ArrayList<List<String>>();
    rows.add(header);
    for (var r : findings) {
      var f = r.finding();
      var spec = f.getSpec();
      var row =
          new ArrayList<>(
              List.of(
                  f.getMetadata().getName(),
                  spec.rule().severity().wireValue(),
                  spec.rule().id(),
                  resource(r),
                  f.getStatus() == null || f.getStatus().state() == null
                      ? "Open"
                      : stateName(f.getStatus().state())));
      if (wide) {
        row.add(dash(spec.resource().accountId()));
        row.add(dash(spec.resource().region()));
        row.add(dash(title(spec.rule())));
      }
      rows.add(row);
    }
    return columns(rows);
  }

  private static String resource(Reported r) {
    var id = r.finding().getSpec().resource().id();
    return r.file() == null
        ? id
        : id + " (" + r.file() + (r.line() == null ? "" : ":" + r.line()) + ")";
  }

  private String title(FindingSpec.Rule rule) {
    return japanese && rule.titleJa() != null ? rule.titleJa() : rule.title();
  }

  String remediation(FindingSpec spec) {
    var rem = spec.remediation();
    if (rem == null) {
      return null;
    }
    return japanese && rem.textJa() != null ? rem.textJa() : rem.text();
  }

  private static String stateName(dev.parapet.api.v1alpha1.FindingStatus.State state) {
    return switch (state) {
      case OPEN -> "Open";
      case RESOLVED -> "Resolved";
      case SUPPRESSED -> "Suppressed";
    };
  }

  private static String dash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }

  /** Rows as kubectl prints a table: columns left-aligned, three spaces apart. */
  public static String columns(List<List<String>> rows) {
    var widths = new int[rows.get(0).size()];
    for (var row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()));
      }
    }
    var out = new StringBuilder();
    for (var row : rows) {
      var line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        var cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.codePointCount(0, cell.length()) + 3));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static Map<String, Object> kubernetesList(List<Reported> findings) {
    var list = new LinkedHashMap<String, Object>();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.put("items", findings.stream().map(Reported::finding).toList());
    return list;
  }

  /** SARIF 2.1.0 with one rule entry per distinct rule id, as code-scanning tools expect. */
  ObjectNode sarif(List<Reported> findings) {
    var root = JSON.createObjectNode();
    root.put("$schema", SARIF_SCHEMA);
    root.put("version", "2.1.0");
    var run = root.putArray("runs").addObject();
    var driver = run.putObject("tool").putObject("driver");
    driver.put("name", "parapet");
    driver.put("version", version);
    driver.put("informationUri", INFO_URI);
    var rules = driver.putArray("rules");
    var ruleIndex = new LinkedHashMap<String, Integer>();
    var results = run.putArray("results");
    for (var r : findings) {
      var spec = r.finding().getSpec();
      var rule = spec.rule();
      var index =
          ruleIndex.computeIfAbsent(
              rule.id(),
              id -> {
                addRule(rules, spec);
                return rules.size() - 1;
              });
      var result = results.addObject();
      result.put("ruleId", rule.id());
      result.put("ruleIndex", index);
      result.put("level", level(rule.severity()));
      result
          .putObject("message")
          .put("text", Objects.requireNonNullElse(spec.message(), title(rule)));
      var location = result.putArray("locations").addObject();
      if (r.file() != null) {
        var physical = location.putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", r.file());
        if (r.line() != null) {
          physical.putObject("region").put("startLine", r.line());
        }
      }
      var logical = location.putArray("logicalLocations").addObject();
      logical.put(
          "fullyQualifiedName",
          spec.resource().arn() != null ? spec.resource().arn() : spec.resource().id());
      logical.put("kind", "resource");
      result.putObject("properties").put("findingName", r.finding().getMetadata().getName());
    }
    return root;
  }

  private void addRule(ArrayNode rules, FindingSpec spec) {
    var rule = spec.rule();
    var node = rules.addObject();
    node.put("id", rule.id());
    node.put("name", rule.id());
    node.putObject("shortDescription").put("text", title(rule));
    var rem = remediation(spec);
    if (rem != null) {
      node.putObject("help").put("text", rem);
    }
    if (spec.remediation() != null && spec.remediation().url() != null) {
      node.put("helpUri", spec.remediation().url());
    }
    node.putObject("defaultConfiguration").put("level", level(rule.severity()));
    var props = node.putObject("properties");
    props.put("security-severity", securitySeverity(rule.severity()));
    var tags = props.putArray("tags");
    tags.add("security");
    if (rule.compliance() != null) {
      for (var c : rule.compliance()) {
        tags.add(c.framework() + ":" + c.control());
      }
    }
  }

  static String level(Severity severity) {
    return switch (severity) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW, INFORMATIONAL -> "note";
    };
  }

  /** The numeric scale GitHub code scanning reads (critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0). */
  static String securitySeverity(Severity severity) {
    return switch (severity) {
      case CRITICAL -> "9.5";
      case HIGH -> "8.0";
      case MEDIUM -> "5.5";
      case LOW -> "3.0";
      case INFORMATIONAL -> "0.0";
    };
  }
}
