package dev.parapet.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parapet check} over fixture manifests: verdicts, formats, positions and exit codes. */
class CheckCommandTest {

  static final String DIR = "src/test/resources/cli/";

  record Run(int code, String out, String err) {}

  static Run run(String stdin, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var code =
        ParapetCli.execute(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void defaultPolicyWarnsAboutPort22WithFileAndLineAndFailsOnHigh() {
    var r = run("", "check", "-f", DIR + "workloads.yaml");
    assertThat(r.out().lines().toList())
        .first()
        .asString()
        .startsWith("WARN  " + DIR + "workloads.yaml:3  Deployment shop/web: ")
        .contains("22/TCP", "[rule port-forbidden, policy parapet-default]");
    assertThat(r.out())
        .contains("3 object(s) checked, 1 violation(s) (0 deny, 1 warn, 0 audit, 0 excepted)");
    assertThat(r.code()).as("port-forbidden is high, the default --fail-on").isEqualTo(1);
    assertThat(run("", "check", "-f", DIR + "workloads.yaml", "--fail-on", "critical").code())
        .isZero();
  }

  @Test
  void podSecurityStandardsControlsAreCheckedAtThePolicysLevel() throws Exception {
    var manifest =
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: shell, namespace: shop}
        spec:
          hostPID: true
          containers:
            - name: sh
              image: registry.example/sh:1
              securityContext: {privileged: true}
        """;
    var r =
        run(
            manifest,
            "check",
            "-f",
            "-",
            "--policy",
            DIR + "policy-restricted.yaml",
            "-o",
            "json",
            "--fail-on",
            "none");
    var items = new ObjectMapper().readTree(r.out()).path("items");
    var rules = new java.util.TreeSet<String>();
    items.forEach(i -> rules.add(i.at("/spec/rule/id").asText()));
    assertThat(rules)
        .contains(
            "pss-baseline-host-namespaces",
            "pss-baseline-privileged",
            "pss-restricted-privilege-escalation",
            "pss-restricted-run-as-non-root",
            "pss-restricted-seccomp",
            "pss-restricted-capabilities");
    var privileged =
        java.util.stream.StreamSupport.stream(items.spliterator(), false)
            .filter(i -> i.at("/spec/rule/id").asText().equals("pss-baseline-privileged"))
            .findFirst()
            .orElseThrow();
    assertThat(privileged.at("/spec/rule/compliance/0/framework").asText()).isEqualTo("k8s-pss");
    assertThat(privileged.at("/spec/rule/compliance/0/control").asText())
        .isEqualTo("baseline/Privileged Containers");
    assertThat(privileged.at("/spec/message").asText())
        .contains("spec.containers[0].securityContext.privileged");
    assertThat(run(manifest, "check", "-f", "-", "--policy", DIR + "policy-restricted.yaml").code())
        .as("a Deny policy's violations fail the check")
        .isEqualTo(1);
  }

  @Test
  void malformedDocumentIsReportedAndTheOthersStillChecked() {
    var r = run("", "check", "-f", DIR + "broken.yaml", "--fail-on", "none");
    assertThat(r.err()).contains(DIR + "broken.yaml:").contains("malformed YAML");
    assertThat(r.out()).contains("Pod shop/third").contains("host-network");
    assertThat(r.out()).contains("2 object(s) checked").contains("1 unreadable document(s)");
    assertThat(r.code()).as("bad input fails even with --fail-on none").isEqualTo(2);
  }

  @Test
  void jsonOutputIsFindingObjectsTheOperatorWouldWrite() throws Exception {
    var r = run("", "check", "-f", DIR + "workloads.yaml", "-o", "json");
    var list = new ObjectMapper().readTree(r.out());
    assertThat(list.path("items")).hasSize(1);
    var finding = new ObjectMapper().treeToValue(list.path("items").get(0), Finding.class);
    assertThat(finding.getSpec().source()).isEqualTo(FindingSpec.Source.KUBERNETES);
    assertThat(finding.getSpec().resource().kind()).isEqualTo("Deployment");
    assertThat(finding.getSpec().resource().namespace()).isEqualTo("shop");
    assertThat(finding.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(finding.getMetadata().getName()).startsWith("port-forbidden-").hasSizeLessThan(64);
    assertThat(finding.getMetadata().getLabels())
        .containsEntry(Finding.LABEL_SOURCE, "kubernetes")
        .containsEntry(Finding.LABEL_SEVERITY, "high");
  }

  @Test
  void sarifCarriesFileAndLine() throws Exception {
    var r = run("", "check", "-f", DIR + "workloads.yaml", "-o", "sarif");
    var result = new ObjectMapper().readTree(r.out()).at("/runs/0/results/0");
    assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
        .isEqualTo(DIR + "workloads.yaml");
    assertThat(result.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(3);
  }

  @Test
  void policyFileAndStandardInput() throws Exception {
    var manifest =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: dev}\n"
            + "spec: {containers: [{name: c, image: x, ports: [{containerPort: 22}]}]}\n";
    var r = run(manifest, "check", "-f", "-", "--policy", DIR + "policy-warn.yaml", "-o", "yaml");
    var list = new ObjectMapper(new YAMLFactory()).readTree(r.out());
    assertThat(list.path("items")).hasSize(1);
    assertThat(list.at("/items/0/spec/message").asText()).contains("policy warn-only");
  }

  @Test
  void aWaivedViolationShowsTheReasonAndItsFindingNamesTheException() throws Exception {
    var manifest =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: dev}\n"
            + "spec: {containers: [{name: c, image: x, ports: [{containerPort: 22}]}]}\n";
    var table = run(manifest, "check", "-f", "-", "--policy", DIR + "policy-exception.yaml");
    assertThat(table.out())
        .startsWith("EXCEPTED  <stdin>:1  Pod dev/p: ")
        .contains(" (exception: debugging, ticket OPS-7)\n")
        .contains("(0 deny, 0 warn, 0 audit, 1 excepted)");
    assertThat(table.code()).isZero();
    var r =
        run(manifest, "check", "-f", "-", "--policy", DIR + "policy-exception.yaml", "-o", "yaml");
    var status = new ObjectMapper(new YAMLFactory()).readTree(r.out()).at("/items/0/status");
    assertThat(status.path("state").asText()).isEqualTo("Suppressed");
    assertThat(status.at("/suppressedBy/policy").asText()).isEqualTo("ssh-waived");
    assertThat(status.at("/suppressedBy/exception").asText()).isEqualTo("ssh-debug");
    assertThat(status.at("/suppressedBy/reason").asText()).isEqualTo("debugging, ticket OPS-7");
    assertThat(status.at("/suppressedBy/expiresAt").asText()).isEqualTo("2099-01-01T00:00:00Z");
  }

  @Test
  void invalidPolicyFileIsAClearError() {
    var r = run("", "check", "-f", DIR + "workloads.yaml", "--policy", DIR + "workloads.yaml");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("parapet: invalid policy");
  }

  @Test
  void japaneseRemediation() {
    var r = run("", "check", "-f", DIR + "workloads.yaml", "--lang", "ja");
    assertThat(r.out()).contains("ポートを削除するか");
  }

  @Test
  void unknownOptionValuesAreUsageErrors() {
    assertThat(run("", "check", "-f", DIR + "workloads.yaml", "-o", "xml").code()).isEqualTo(2);
    assertThat(run("", "check", "-f", DIR + "workloads.yaml", "--fail-on", "severe").err())
        .contains("unknown --fail-on");
    assertThat(Path.of(DIR + "workloads.yaml")).exists();
  }

  static final String NODE_PORT =
      "apiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: shop}\n"
          + "spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, nodePort: 30080}]}\n";

  @Test
  void aDenyVerdictFailsWhateverTheFailOnThreshold() {
    for (var failOn : new String[] {"high", "critical", "none"}) {
      var r =
          run(
              NODE_PORT,
              "check",
              "-f",
              "-",
              "--policy",
              DIR + "policy-deny.yaml",
              "--fail-on",
              failOn);
      assertThat(r.out())
          .startsWith("DENY  ")
          .contains("[rule service-nodeport, policy deny-all]")
          .contains("1 violation(s) (1 deny, 0 warn, 0 audit, 0 excepted)");
      assertThat(r.code())
          .as("service-nodeport is medium, but the webhook would deny it (--fail-on %s)", failOn)
          .isEqualTo(1);
    }
  }

  @Test
  void anObjectNotCheckedWithinTheBudgetIsNeverReportedClean() {
    // workloads.yaml's shop/api is clean; with no time at all nothing is fully checked.
    var clean = run("", "check", "-f", DIR + "workloads.yaml", "--fail-on", "none");
    assertThat(clean.out()).doesNotContain("Service shop/clean");
    var r =
        run(
            "",
            "check",
            "-f",
            DIR + "workloads.yaml",
            "--review-budget-ms",
            "0",
            "--fail-on",
            "critical");
    assertThat(r.out())
        .contains(
            "WARN  "
                + DIR
                + "workloads.yaml:3  Deployment shop/web: not fully checked within 0 ms"
                + " [rule not-fully-checked, policy parapet-default]")
        .contains("Service shop/clean: not fully checked within 0 ms")
        .contains("3 object(s) checked, 3 violation(s) (0 deny, 3 warn, 0 audit, 0 excepted)");
    var denied =
        run(
            NODE_PORT,
            "check",
            "-f",
            "-",
            "--policy",
            DIR + "policy-deny.yaml",
            "--review-budget-ms",
            "0",
            "--fail-on",
            "none");
    assertThat(denied.out()).startsWith("DENY  ").contains("not fully checked within 0 ms");
    assertThat(denied.code()).isEqualTo(1);
  }

  @Test
  void theTableShowsAtMostTwentyLinesPerObjectThenACount(@TempDir Path dir) throws Exception {
    var ports = new StringBuilder();
    for (int p = 30000; p < 30025; p++) {
      ports.append("{containerPort: ").append(p).append("},");
    }
    var manifest =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: many, namespace: shop}\n"
            + "spec: {containers: [{name: c, image: i, ports: ["
            + ports
            + "]}]}\n";
    var policy =
        "apiVersion: parapet.dev/v1alpha1\nkind: PosturePolicy\nmetadata: {name: ranges}\n"
            + "spec: {admission: {enforcement: Warn, forbiddenPorts: [{port: 30000, endPort:"
            + " 30100}]}}\n";
    var file = Files.writeString(dir.resolve("ranges.yaml"), policy).toString();
    var r = run(manifest, "check", "-f", "-", "--policy", file, "--fail-on", "none");
    assertThat(r.out().lines().filter(l -> l.startsWith("WARN  "))).hasSize(20);
    assertThat(r.out())
        .contains(
            "...   <stdin>:1  and 5 more violation(s) of this object (-o json lists them all)")
        .contains("25 violation(s)");
    var json = run(manifest, "check", "-f", "-", "--policy", file, "-o", "json");
    assertThat(json.out().split("\"id\" ?: ?\"port-forbidden\"", -1).length - 1)
        .as("JSON keeps every violation")
        .isEqualTo(25);
  }

  @Test
  void aWarnOnlyMediumViolationPassesFailOnHighAndFailsFailOnMedium() {
    var r = run(NODE_PORT, "check", "-f", "-", "--policy", DIR + "policy-warn.yaml");
    assertThat(r.out())
        .startsWith("WARN  ")
        .contains("[rule service-nodeport, policy warn-only]")
        .contains("(0 deny, 1 warn, 0 audit, 0 excepted)");
    assertThat(r.code()).as("medium Warn, --fail-on high by default").isZero();
    assertThat(
            run(
                    NODE_PORT,
                    "check",
                    "-f",
                    "-",
                    "--policy",
                    DIR + "policy-warn.yaml",
                    "--fail-on",
                    "medium")
                .code())
        .isEqualTo(1);
  }

  static String pod(String namespace) {
    return "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: "
        + namespace
        + "}\nspec: {containers: [{name: c, image: x, ports: [{containerPort: 22},"
        + " {containerPort: 2375}]}]}\n";
  }

  @Test
  void namespaceSelectorsSeeTheNameLabelAndNamespaceLabelsAndWarnWhenALabelIsUnknown() {
    var policy = DIR + "policy-selector.yaml";
    var unlabelled = run(pod("shop"), "check", "-f", "-", "--policy", policy, "--fail-on", "none");
    assertThat(unlabelled.out())
        .as("shop-by-name selects shop through kubernetes.io/metadata.name")
        .contains("WARN  ")
        .contains("2375/TCP")
        .contains("policy shop-by-name")
        .contains("1 violation(s) (0 deny, 1 warn");
    assertThat(unlabelled.err())
        .contains(
            "parapet: warning: policy prod-only not applied to namespace shop: its"
                + " namespaceSelector needs label(s) env, unknown offline")
        .doesNotContain("shop-by-name");
    assertThat(unlabelled.code()).isZero();

    var prod =
        run(
            pod("shop"),
            "check",
            "-f",
            "-",
            "--policy",
            policy,
            "--fail-on",
            "none",
            "--namespace-labels",
            "env=prod,team=payments");
    assertThat(prod.out())
        .contains("DENY  ")
        .contains("policy prod-only")
        .contains("2 violation(s) (1 deny, 1 warn");
    assertThat(prod.err()).doesNotContain("warning");
    assertThat(prod.code()).isEqualTo(1);

    var dev =
        run(pod("other"), "check", "-f", "-", "--policy", policy, "--namespace-labels", "env=dev");
    assertThat(dev.out()).contains("0 violation(s)");
    assertThat(dev.err()).as("every label the selectors need is known").doesNotContain("warning");
    assertThat(dev.code()).isZero();

    assertThat(run(pod("shop"), "check", "-f", "-", "--namespace-labels", "env").code())
        .as("not KEY=VALUE")
        .isEqualTo(2);
  }

  @Test
  void helpListsTheExitCodes() {
    var r = run("", "check", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("--namespace-labels=KEY=VALUE")
        .contains("Exit codes:")
        .containsPattern("(?s)0 +nothing the webhook would deny")
        .containsPattern("(?s)1 +an object the webhook would deny")
        .containsPattern("(?s)2 +bad input");
  }

  /** CLI output passes through the one redactor: here an error quoting a file name. */
  @Test
  void cliOutputIsRedacted() {
    var key = "AKIAIOSFODNN7EXAMPLE";
    var missing = run("", "check", "-f", "/nonexistent/" + key + ".yaml");
    assertThat(missing.err()).contains("AKIA************MPLE.yaml").doesNotContain(key);
    var policy = run("", "check", "-f", DIR + "workloads.yaml", "--policy", "/nonexistent/" + key);
    assertThat(policy.err()).contains("AKIA************MPLE").doesNotContain(key);
  }
}
