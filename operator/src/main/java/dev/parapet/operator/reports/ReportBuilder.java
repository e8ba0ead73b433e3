package dev.parapet.operator.reports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicySpec.Language;
import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds the reports of one namespace from its Findings: one result per Open ({@code fail}) or
 * Suppressed ({@code skip}) Finding and one {@code error} result per rule a scan could not judge.
 * Resolved Findings are left out. The output holds no clock time (a result's timestamp is its
 * Finding's last state change), so unchanged Findings give byte-identical reports and the writer
 * can compare content. Results are split over several objects, each at most {@code budgetBytes} of
 * JSON, in a stable order.
 */
public final class ReportBuilder {

  /** Every report Parapet writes carries this label (value {@code parapet}). */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String MANAGER = "parapet";

  /** The source of every result, as Policy Reporter shows and filters it. */
  public static final String SOURCE = "parapet";

  /** Reports are named {@code parapet-1}, {@code parapet-2}, ... */
  public static final String NAME_PREFIX = "parapet-";

  /**
   * Default per-object budget: 800,000 bytes of JSON. The API server refuses requests over 3 MiB
   * and etcd values over 1.5 MiB (its default request limit); the budget leaves room for metadata,
   * managedFields and the API server's own additions, and keeps each watch event small.
   */
  public static final int DEFAULT_BUDGET_BYTES = 800_000;

  /** JSON bytes reserved for everything but the results (metadata, summary, source). */
  private static final int ENVELOPE_BYTES = 2_048;

  private ReportBuilder() {}

  /**
   * The reports of {@code namespace}, in name order; empty when it has nothing to report.
   *
   * @param languageOf the reporting language of a Finding (from the policies that apply to it)
   */
  public static List<GenericKubernetesResource> build(
      ReportFormat format,
      String namespace,
      List<Finding> findings,
      List<ScanGap> gaps,
      Function<Finding, Language> languageOf,
      int budgetBytes) {
    var keyed = new TreeMap<String, Map<String, Object>>();
    for (var f : findings) {
      var result = result(f, languageOf.apply(f));
      if (result != null) {
        keyed.put(
            f.getSpec().rule().id() + "\u0000" + f.getMetadata().getName() + "\u0000", result);
      }
    }
    for (var g : gaps) {
      keyed.put(
          g.rule().id() + "\u0001" + g.cloudAccount() + "\u0000" + g.region() + "\u0000",
          gapResult(g));
    }
    var chunks = new ArrayList<List<Map<String, Object>>>();
    var current = new ArrayList<Map<String, Object>>();
    long size = ENVELOPE_BYTES;
    for (var r : keyed.values()) {
      var bytes = jsonBytes(r) + 1;
      if (!current.isEmpty() && size + bytes > budgetBytes) {
        chunks.add(current);
        current = new ArrayList<>();
        size = ENVELOPE_BYTES;
      }
      current.add(r);
      size += bytes;
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    var out = new ArrayList<GenericKubernetesResource>();
    for (int i = 0; i < chunks.size(); i++) {
      out.add(report(format, namespace, NAME_PREFIX + (i + 1), chunks.get(i)));
    }
    return out;
  }

  private static GenericKubernetesResource report(
      ReportFormat format, String namespace, String name, List<Map<String, Object>> results) {
    var report = new GenericKubernetesResource();
    report.setApiVersion(format.apiVersion());
    report.setKind(format.kind());
    report.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(Map.of(MANAGED_BY, MANAGER))
            .build());
    var summary = new LinkedHashMap<String, Object>();
    for (var status : List.of("pass", "fail", "warn", "error", "skip")) {
      summary.put(
          status, (int) results.stream().filter(r -> status.equals(r.get("result"))).count());
    }
    report.setAdditionalProperty("source", SOURCE);
    report.setAdditionalProperty("summary", summary);
    report.setAdditionalProperty("results", results);
    return report;
  }

  /**
   * The result of one Finding, or null for a Resolved one (it drops out of the report) and for one
   * whose status is not written yet (the writer creates a Finding, then its status: reporting the
   * first write would report it twice).
   */
  static Map<String, Object> result(Finding f, Language language) {
    var status = f.getStatus();
    var state = status == null ? null : status.state();
    if (state == null || state == FindingStatus.State.RESOLVED) {
      return null;
    }
    var spec = f.getSpec();
    var rule = spec.rule();
    var ja = language == Language.JA;
    var title = ja && notBlank(rule.titleJa()) ? rule.titleJa() : rule.title();
    var r = new LinkedHashMap<String, Object>();
    r.put("source", SOURCE);
    r.put("policy", rule.id());
    r.put("rule", rule.id());
    var category = category(rule.compliance(), spec.source());
    r.put("category", category);
    r.put("severity", severity(rule.severity()));
    var ts = timestamp(status);
    if (ts != null) {
      r.put("timestamp", ts);
    }
    r.put("result", state == FindingStatus.State.SUPPRESSED ? "skip" : "fail");
    r.put("scored", true);
    r.put("resources", List.of(subject(f)));
    var message = title == null ? rule.id() : title;
    if (notBlank(spec.message())) {
      message += (ja ? "：" : ": ") + spec.message();
    }
    r.put("message", message);
    var props = new TreeMap<String, String>();
    var res = spec.resource();
    put(props, "finding", f.getMetadata().getName());
    put(props, "resource", res.id());
    put(props, "resourceType", res.type());
    put(props, "arn", res.arn());
    put(props, "account", res.accountId());
    put(props, "region", res.region());
    put(props, "cis", controls(rule.compliance(), RuleMetadata.CIS_AWS));
    put(props, "fsbp", controls(rule.compliance(), RuleMetadata.AWS_FSBP));
    var rem = spec.remediation();
    if (rem != null) {
      put(props, "remediation", ja && notBlank(rem.textJa()) ? rem.textJa() : rem.text());
      put(props, "remediationUrl", rem.url());
    }
    put(props, "language", ja ? "ja" : "en");
    if (status != null && status.suppressedBy() != null) {
      var by = status.suppressedBy();
      put(props, "suppressedBy", by.policy() + "/" + by.exception());
      put(props, "suppressedReason", by.reason());
      put(props, "suppressedUntil", by.expiresAt());
    }
    var labels = f.getMetadata().getLabels();
    if (labels != null) {
      put(props, "owner", labels.get(Finding.LABEL_OWNER));
      put(props, "triage", labels.get(Finding.LABEL_TRIAGE));
    }
    r.put("properties", props);
    return r;
  }

  private static Map<String, Object> gapResult(ScanGap g) {
    var rule = g.rule();
    var r = new LinkedHashMap<String, Object>();
    r.put("source", SOURCE);
    r.put("policy", rule.id());
    r.put("rule", rule.id());
    r.put(
        "category",
        category(
            rule.compliance().stream()
                .map(c -> new FindingSpec.Compliance(c.framework(), c.id()))
                .toList(),
            FindingSpec.Source.AWS));
    r.put("severity", severity(rule.severity()));
    r.put("result", "error");
    r.put("scored", true);
    var ref = new LinkedHashMap<String, Object>();
    ref.put("apiVersion", "parapet.dev/v1alpha1");
    ref.put("kind", "CloudAccount");
    ref.put("name", g.cloudAccount());
    r.put("resources", List.of(ref));
    r.put(
        "message",
        "not judged: "
            + g.service()
            + " in "
            + g.region()
            + " could not be read ("
            + g.reason()
            + (notBlank(g.message()) ? ": " + g.message() : "")
            + ")");
    var props = new TreeMap<String, String>();
    put(props, "account", g.account());
    put(props, "region", g.region());
    put(props, "service", g.service());
    put(props, "reason", g.reason());
    put(props, "cis", String.join(",", rule.cis()));
    put(props, "fsbp", String.join(",", rule.fsbp()));
    r.put("properties", props);
    return r;
  }

  /** CIS and FSBP ids as Policy Reporter shows a category, e.g. {@code CIS 5.3, FSBP EC2.13}. */
  static String category(List<FindingSpec.Compliance> compliance, FindingSpec.Source source) {
    var parts = new ArrayList<String>();
    var cis = controls(compliance, RuleMetadata.CIS_AWS);
    var fsbp = controls(compliance, RuleMetadata.AWS_FSBP);
    if (cis != null) {
      parts.add("CIS " + cis.replace(",", ", CIS "));
    }
    if (fsbp != null) {
      parts.add("FSBP " + fsbp.replace(",", ", FSBP "));
    }
    if (parts.isEmpty()) {
      return source == FindingSpec.Source.KUBERNETES ? "Kubernetes workload" : "AWS";
    }
    return String.join(", ", parts);
  }

  private static String controls(List<FindingSpec.Compliance> compliance, String framework) {
    if (compliance == null) {
      return null;
    }
    var ids =
        compliance.stream()
            .filter(c -> framework.equals(c.framework()))
            .map(FindingSpec.Compliance::control)
            .toList();
    return ids.isEmpty() ? null : String.join(",", ids);
  }

  /** Report severities are critical, high, medium, low and info. */
  static String severity(Severity s) {
    return s == Severity.INFORMATIONAL ? "info" : s.wireValue();
  }

  private static Map<String, Object> subject(Finding f) {
    var res = f.getSpec().resource();
    var ref = new LinkedHashMap<String, Object>();
    if (f.getSpec().source() == FindingSpec.Source.KUBERNETES && notBlank(res.kind())) {
      ref.put("apiVersion", res.apiVersion());
      ref.put("kind", res.kind());
      ref.put("name", res.name());
      if (notBlank(res.namespace())) {
        ref.put("namespace", res.namespace());
      }
      return ref;
    }
    // An AWS resource is no Kubernetes object: the result points at its Finding, which kubectl
    // shows with the evidence (the ARN and account are in the properties).
    ref.put("apiVersion", "parapet.dev/v1alpha1");
    ref.put("kind", "Finding");
    ref.put("name", f.getMetadata().getName());
    ref.put("namespace", f.getMetadata().getNamespace());
    if (notBlank(f.getMetadata().getUid())) {
      ref.put("uid", f.getMetadata().getUid());
    }
    return ref;
  }

  private static Map<String, Object> timestamp(FindingStatus status) {
    if (status == null) {
      return null;
    }
    var at =
        notBlank(status.lastTransitionTime()) ? status.lastTransitionTime() : status.firstSeen();
    if (!notBlank(at)) {
      return null;
    }
    try {
      var ts = new LinkedHashMap<String, Object>();
      ts.put("seconds", Instant.parse(at).getEpochSecond());
      ts.put("nanos", 0);
      return ts;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void put(Map<String, String> props, String key, String value) {
    if (notBlank(value)) {
      props.put(key, value);
    }
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  /** Size of the object's JSON, as sent to the API server. */
  public static int jsonBytes(Object o) {
    return Serialization.asJson(o).getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The content that decides whether a report must be written: everything but server-set metadata,
   * in canonical JSON (numbers compared by value).
   */
  public static JsonNode content(GenericKubernetesResource r) {
    var m = new TreeMap<String, Object>(r.getAdditionalProperties());
    var labels = r.getMetadata() == null ? null : r.getMetadata().getLabels();
    m.put("@managed", labels != null && MANAGER.equals(labels.get(MANAGED_BY)));
    return Serialization.unmarshal(Serialization.asJson(m), JsonNode.class);
  }
}
