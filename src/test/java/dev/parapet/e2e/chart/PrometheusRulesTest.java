package dev.parapet.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.Severity;
import dev.parapet.operator.metrics.ParapetMetrics;
import dev.parapet.operator.scan.ScanOutcome;
import dev.parapet.webhook.AdmissionMetrics;
import dev.parapet.webhook.Violation;
import dev.parapet.webhook.rules.NotFullyCheckedRule;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's optional PrometheusRule (metrics.prometheusRule.enabled): rendered by Helm, its rules
 * accepted by {@code promtool check rules} and their alerts proven by {@code promtool test rules}
 * on series shaped as Parapet exports them (src/test/resources/prometheus/parapet-rules-test.yaml);
 * promtool comes from the Go module proxy (scripts/ensure-promtool.sh). Every metric the rules read
 * is one the operator's and the webhook's own meters export, by a scrape of a Prometheus registry
 * they recorded into.
 */
class PrometheusRulesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path WORK = ChartSupport.REPO_ROOT.resolve("target/e2e/prometheus-rules");
  private static String promtool;
  private static Path rules;
  private static String rulesText;

  @BeforeAll
  static void renderTheRulesAndBuildPromtool() throws Exception {
    var built =
        run(List.of(ChartSupport.REPO_ROOT.resolve("scripts/ensure-promtool.sh").toString()));
    assertThat(built.code()).as("scripts/ensure-promtool.sh: " + built.out()).isZero();
    promtool = built.out().lines().reduce((a, b) -> b).orElseThrow().trim();

    var chart = ChartSupport.render(ChartSupport.values("metrics.prometheusRule.enabled", true));
    var rule = (GenericKubernetesResource) chart.ofKind("PrometheusRule").get(0);
    assertThat(rule.getMetadata().getNamespace()).isEqualTo(ChartSupport.NAMESPACE);
    Files.createDirectories(WORK);
    rules = WORK.resolve("parapet-rules.yaml");
    rulesText = YAML.writeValueAsString(rule.getAdditionalProperties().get("spec"));
    Files.writeString(rules, rulesText);
    Files.copy(
        ChartSupport.REPO_ROOT.resolve("src/test/resources/prometheus/parapet-rules-test.yaml"),
        WORK.resolve("parapet-rules-test.yaml"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void theChartRendersNoRuleUnlessAskedTo() {
    assertThat(ChartSupport.render(Map.of()).ofKind("PrometheusRule")).isEmpty();
    var labelled =
        ChartSupport.render(
            ChartSupport.values(
                "metrics.prometheusRule.enabled",
                true,
                "metrics.prometheusRule.labels",
                Map.of("release", "kube-prometheus-stack")));
    assertThat(labelled.ofKind("PrometheusRule").get(0).getMetadata().getLabels())
        .containsEntry("release", "kube-prometheus-stack");
  }

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    var r = run(List.of(promtool, "check", "rules", rules.toString()));
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("SUCCESS: 6 rules found");
  }

  @Test
  void theAlertsFireWhenTheyShouldAndOnlyThen() throws Exception {
    var r =
        run(List.of(promtool, "test", "rules", WORK.resolve("parapet-rules-test.yaml").toString()));
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("SUCCESS");
  }

  @Test
  void promtoolCatchesAWrongExpectation() throws Exception {
    // The unit tests can fail: the same series with the stale alert expected an hour too early.
    var test =
        Files.readString(WORK.resolve("parapet-rules-test.yaml"))
            .replace(
                "- eval_time: 13h10m\n        alertname: ParapetScanStale\n        exp_alerts: []",
                "- eval_time: 13h10m\n        alertname: ParapetScanStale\n        exp_alerts:\n          - exp_labels: {severity: warning, namespace: team-a, account: stuck}");
    var broken = WORK.resolve("parapet-rules-broken-test.yaml");
    Files.writeString(broken, test);
    var r = run(List.of(promtool, "test", "rules", broken.toString()));
    assertThat(r.code()).as(r.out()).isNotZero();
    assertThat(r.out()).contains("ParapetScanStale");
  }

  @Test
  void everyMetricTheRulesReadIsExportedUnderThatName() throws IOException {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var metrics = new ParapetMetrics(registry);
    var account = new CloudAccount();
    account.setMetadata(new ObjectMetaBuilder().withName("prod").withNamespace("team-a").build());
    var now = Instant.now();
    metrics.scanFinished(
        account, ScanOutcome.fatal(now.minusSeconds(5), now, "CredentialsInvalid", "no", true));
    metrics.reconcileFailed("cloudaccount");
    var finding = new Finding();
    finding.setMetadata(new ObjectMetaBuilder().withName("f").withNamespace("team-a").build());
    finding.setSpec(
        YAML.readValue(
            """
            source: aws
            rule: {id: aws-s3-bucket-public, severity: critical}
            resource: {type: AWS::S3::Bucket, id: b}
            """,
            FindingSpec.class));
    finding.setStatus(new FindingStatus(FindingStatus.State.OPEN, null, null, null, null));
    metrics.refreshFindings(List.of(finding));
    var admission = new AdmissionMetrics(registry);
    admission.decided(
        "Deployment",
        "rejected",
        List.of(
            new Violation(
                NotFullyCheckedRule.METADATA,
                Enforcement.WARN,
                "baseline",
                "Deployment",
                "shop",
                "web",
                null,
                null,
                "k",
                "not fully checked",
                null)),
        TimeUnit.MILLISECONDS.toNanos(5));

    var exported = new TreeSet<String>();
    registry
        .scrape()
        .lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .forEach(l -> exported.add(l.split("[{ ]", 2)[0]));
    var read = new TreeSet<String>();
    var m = Pattern.compile("\\bparapet_[a-z_]+").matcher(rulesText);
    while (m.find()) {
      read.add(m.group());
    }
    assertThat(read).hasSizeGreaterThanOrEqualTo(6);
    assertThat(exported).as("metric names exported").containsAll(read);
    assertThat(Severity.CRITICAL.wireValue())
        .isEqualTo("critical"); // the label value the rules read
  }

  record Run(int code, String out) {}

  private static Run run(List<String> command) throws IOException, InterruptedException {
    var p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    var out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new Run(-1, out + "\n(timed out)");
    }
    return new Run(p.exitValue(), out);
  }
}
