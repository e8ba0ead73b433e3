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
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
}
