package dev.parapet.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.Severity;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingsOutputTest {

  static Finding finding(String name, String rule, Severity severity, String resourceId) {
    var f = new Finding();
    f.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("parapet-system").build());
    f.setSpec(
        new FindingSpec(
            FindingSpec.Source.AWS,
            new FindingSpec.Rule(
                rule,
                "Security group allows SSH from the internet",
                "セキュリティグループがインターネットからの SSH を許可している",
                severity,
                List.of(
                    new FindingSpec.Compliance("cis-aws", "5.3"),
                    new FindingSpec.Compliance("aws-fsbp", "EC2.13"))),
            new FindingSpec.Resource(
                "AWS::EC2::SecurityGroup",
                resourceId,
                "arn:aws:ec2:us-east-1:123456789012:security-group/" + resourceId,
                "123456789012",
                "us-east-1",
                null,
                null,
                null,
                null),
            "ingress tcp/22 from 0.0.0.0/0",
            new FindingSpec.Remediation("Remove the rule.", "ルールを削除する。", null)));
    f.setStatus(new FindingStatus(FindingStatus.State.OPEN, null, null, null, null));
    return f;
  }

  final List<Reported> two =
      List.of(
          Reported.of(finding("ssh-1", "aws-ec2-sg-ssh-open", Severity.HIGH, "sg-1")),
          new Reported(
              finding("ssh-2", "aws-ec2-sg-ssh-open", Severity.CRITICAL, "sg-22222"),
              "deploy/app.yaml",
              12));

  @Test
  void tableAlignsColumnsLikeKubectl() {
    var out = new FindingsOutput("0.1.0", false).render(two, OutputFormat.TABLE);
    assertThat(out.lines().toList())
        .containsExactly(
            "NAME    SEVERITY   RULE                  RESOURCE                        STATE",
            "ssh-1   high       aws-ec2-sg-ssh-open   sg-1                            Open",
            "ssh-2   critical   aws-ec2-sg-ssh-open   sg-22222 (deploy/app.yaml:12)   Open");
  }

  @Test
  void wideAddsAccountRegionAndTitleInTheChosenLanguage() {
    var en = new FindingsOutput("0.1.0", false).render(two, OutputFormat.WIDE);
    assertThat(en.lines().findFirst().orElseThrow()).endsWith("ACCOUNT        REGION      TITLE");
    assertThat(en).contains("123456789012   us-east-1   Security group allows SSH");
    var ja = new FindingsOutput("0.1.0", true).render(two, OutputFormat.WIDE);
    assertThat(ja).contains("インターネットからの SSH").doesNotContain("Security group allows");
  }

  @Test
  void emptyTableSaysSo() {
    assertThat(new FindingsOutput("0.1.0", false).render(List.of(), OutputFormat.TABLE))
        .isEqualTo("No findings.\n");
  }

  @Test
  void jsonAndYamlRoundTripIntoFindingObjects() throws Exception {
    var out = new FindingsOutput("0.1.0", false);
    for (var format : List.of(OutputFormat.JSON, OutputFormat.YAML)) {
      var mapper =
          format == OutputFormat.JSON ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
      JsonNode list = mapper.readTree(out.render(two, format));
      assertThat(list.path("kind").asText()).isEqualTo("List");
      assertThat(list.path("items")).hasSize(2);
      var back = mapper.treeToValue(list.path("items").get(0), Finding.class);
      assertThat(back.getApiVersion()).isEqualTo("parapet.dev/v1alpha1");
      assertThat(back.getKind()).isEqualTo("Finding");
      assertThat(back.getSpec()).isEqualTo(two.get(0).finding().getSpec());
      assertThat(back.getStatus()).isEqualTo(two.get(0).finding().getStatus());
      assertThat(back.getMetadata().getName()).isEqualTo("ssh-1");
    }
  }

  @Test
  void sarifHasOneRulePerIdAndLocations() throws Exception {
    var sarif =
        new ObjectMapper()
            .readTree(new FindingsOutput("0.1.0", false).render(two, OutputFormat.SARIF));
    assertThat(sarif.path("version").asText()).isEqualTo("2.1.0");
    var run = sarif.path("runs").get(0);
    assertThat(run.at("/tool/driver/name").asText()).isEqualTo("parapet");
    assertThat(run.at("/tool/driver/rules")).hasSize(1);
    assertThat(run.at("/tool/driver/rules/0/properties/tags").toString())
        .contains("cis-aws:5.3", "aws-fsbp:EC2.13");
    var results = run.path("results");
    assertThat(results).hasSize(2);
    assertThat(results.get(0).path("level").asText()).isEqualTo("error");
    assertThat(results.get(0).path("ruleIndex").asInt()).isZero();
    assertThat(results.get(0).at("/locations/0/physicalLocation").isMissingNode()).isTrue();
    assertThat(results.get(1).at("/locations/0/physicalLocation/artifactLocation/uri").asText())
        .isEqualTo("deploy/app.yaml");
    assertThat(results.get(1).at("/locations/0/physicalLocation/region/startLine").asInt())
        .isEqualTo(12);
    assertThat(results.get(0).at("/locations/0/logicalLocations/0/fullyQualifiedName").asText())
        .startsWith("arn:aws:ec2:");
  }

  @Test
  void levelsFollowSeverity() {
    assertThat(FindingsOutput.level(Severity.MEDIUM)).isEqualTo("warning");
    assertThat(FindingsOutput.level(Severity.LOW)).isEqualTo("note");
    assertThat(FindingsOutput.securitySeverity(Severity.CRITICAL)).isEqualTo("9.5");
  }
}
