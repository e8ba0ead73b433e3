package dev.parapet.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The contract users touch: printer columns, validation, descriptions, scope and names. */
class CrdContractTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static JsonNode crd(Class<? extends HasMetadata> kind) throws IOException {
    var file = CrdFiles.repoRoot().resolve("crds").resolve(CrdFiles.fileName(kind));
    return YAML.readTree(file.toFile());
  }

  static JsonNode schema(Class<? extends HasMetadata> kind) throws IOException {
    return crd(kind).at("/spec/versions/0/schema/openAPIV3Schema");
  }

  static List<String> columns(JsonNode crd) {
    var out = new ArrayList<String>();
    for (var c : crd.at("/spec/versions/0/additionalPrinterColumns")) {
      out.add(
          c.path("name").asText()
              + " "
              + c.path("jsonPath").asText()
              + (c.path("priority").asInt() > 0 ? " wide" : ""));
    }
    return out;
  }

  static List<String> texts(JsonNode array) {
    var out = new ArrayList<String>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void namesScopeCategoriesAndStatusSubresource() throws IOException {
    record Expect(
        Class<? extends HasMetadata> kind, String plural, String shortName, String scope) {}
    for (var e :
        List.of(
            new Expect(CloudAccount.class, "cloudaccounts", "cacct", "Namespaced"),
            new Expect(PosturePolicy.class, "posturepolicies", "ppol", "Cluster"),
            new Expect(Finding.class, "findings", "fnd", "Namespaced"),
            new Expect(AwsOrganization.class, "awsorganizations", "awsorg", "Namespaced"))) {
      var crd = crd(e.kind());
      assertThat(crd.at("/metadata/name").asText()).isEqualTo(e.plural() + ".parapet.dev");
      assertThat(crd.at("/spec/group").asText()).isEqualTo("parapet.dev");
      assertThat(crd.at("/spec/scope").asText()).as(e.plural()).isEqualTo(e.scope());
      assertThat(texts(crd.at("/spec/names/shortNames"))).containsExactly(e.shortName());
      assertThat(texts(crd.at("/spec/names/categories"))).containsExactly("posture");
      assertThat(crd.at("/spec/versions")).hasSize(1);
      assertThat(crd.at("/spec/versions/0/name").asText()).isEqualTo("v1alpha1");
      assertThat(crd.at("/spec/versions/0/served").asBoolean()).isTrue();
      assertThat(crd.at("/spec/versions/0/storage").asBoolean()).isTrue();
      assertThat(crd.at("/spec/versions/0/subresources/status").isObject())
          .as("%s has a status subresource", e.plural())
          .isTrue();
    }
  }

  @Test
  void printerColumnsInKubectlOrder() throws IOException {
    assertThat(columns(crd(CloudAccount.class)))
        .containsExactly(
            "ACCOUNT .spec.accountId",
            "READY .status.conditions[?(@.type==\"Ready\")].status",
            "CRITICAL .status.findings.critical",
            "HIGH .status.findings.high",
            "LAST-SCAN .status.lastScan.finishedAt",
            "AGE .metadata.creationTimestamp");
    assertThat(columns(crd(PosturePolicy.class)))
        .containsExactly(
            "ENFORCEMENT .spec.admission.enforcement",
            "ACCEPTED .status.conditions[?(@.type==\"Accepted\")].status",
            "AGE .metadata.creationTimestamp");
    assertThat(columns(crd(Finding.class)))
        .containsExactly(
            "SEVERITY .spec.rule.severity",
            "RULE .spec.rule.id",
            "RESOURCE .spec.resource.id",
            "STATE .status.state",
            "TRIAGE .metadata.labels.parapet\\.dev/triage",
            "AGE .metadata.creationTimestamp",
            "ACCOUNT .spec.resource.accountId wide",
            "REGION .spec.resource.region wide",
            "TITLE .spec.rule.title wide");
  }

  @Test
  void printerColumnPathsExistInTheSchema() throws IOException {
    for (var kind : CrdFiles.KINDS) {
      var schema = schema(kind);
      for (var c : crd(kind).at("/spec/versions/0/additionalPrinterColumns")) {
        var path = c.path("jsonPath").asText();
        if (path.startsWith(".metadata.")) {
          continue;
        }
        var node = schema;
        for (var part : path.substring(1).replaceAll("\\[\\?.*?\\]", "").split("\\.")) {
          node = node.path("properties").path(part);
          if (node.path("type").asText().equals("array")) {
            node = node.path("items");
          }
        }
        assertThat(node.isMissingNode()).as("%s column %s", kind.getSimpleName(), path).isFalse();
      }
    }
  }

  @Test
  void everyPropertyHasADescription() throws IOException {
    for (var kind : CrdFiles.KINDS) {
      var missing = new ArrayList<String>();
      walk(schema(kind), "", missing);
      assertThat(missing).as("%s properties without description", kind.getSimpleName()).isEmpty();
    }
  }

  private static void walk(JsonNode node, String path, List<String> missing) {
    var props = node.path("properties");
    props
        .fieldNames()
        .forEachRemaining(
            name -> {
              var child = props.get(name);
              var childPath = path + "." + name;
              if (child.path("description").asText().isBlank()) {
                missing.add(childPath);
              }
              walk(child, childPath, missing);
            });
    if (node.has("items")) {
      walk(node.get("items"), path + "[]", missing);
    }
    if (node.path("additionalProperties").isObject()) {
      walk(node.get("additionalProperties"), path + "{}", missing);
    }
  }

  @Test
  void requiredFields() throws IOException {
    var account = schema(CloudAccount.class).at("/properties/spec");
    assertThat(texts(account.path("required"))).contains("accountId");
    assertThat(texts(account.at("/properties/credentials/properties/assumeRole/required")))
        .containsExactly("roleArn");
    assertThat(texts(account.at("/properties/credentials/properties/secretRef/required")))
        .containsExactly("name");

    var exception = schema(PosturePolicy.class).at("/properties/spec/properties/exceptions/items");
    assertThat(texts(exception.path("required"))).containsExactlyInAnyOrder("match", "reason");

    var finding = schema(Finding.class).at("/properties/spec");
    assertThat(texts(finding.path("required")))
        .containsExactlyInAnyOrder("source", "rule", "resource");
    assertThat(texts(finding.at("/properties/rule/required")))
        .containsExactlyInAnyOrder("id", "severity");
  }

  @Test
  void enums() throws IOException {
    var severities = List.of("critical", "high", "medium", "low", "informational");
    var finding = schema(Finding.class);
    assertThat(texts(finding.at("/properties/spec/properties/rule/properties/severity/enum")))
        .containsExactlyInAnyOrderElementsOf(severities);
    assertThat(texts(finding.at("/properties/spec/properties/source/enum")))
        .containsExactlyInAnyOrder("aws", "kubernetes");
    assertThat(texts(finding.at("/properties/status/properties/state/enum")))
        .containsExactlyInAnyOrder("Open", "Resolved", "Suppressed");

    var policy = schema(PosturePolicy.class).at("/properties/spec/properties");
    assertThat(texts(policy.at("/admission/properties/enforcement/enum")))
        .containsExactlyInAnyOrder("Deny", "Warn", "Audit");
    assertThat(texts(policy.at("/admission/properties/ruleEnforcement/additionalProperties/enum")))
        .containsExactlyInAnyOrder("Deny", "Warn", "Audit");
    assertThat(texts(policy.at("/cloud/properties/frameworks/items/enum")))
        .containsExactlyInAnyOrder("cis-aws", "aws-fsbp");
    assertThat(texts(policy.at("/cloud/properties/severityOverrides/additionalProperties/enum")))
        .containsExactlyInAnyOrderElementsOf(severities);

    assertThat(texts(schema(CloudAccount.class).at("/properties/spec/properties/provider/enum")))
        .containsExactly("aws");
  }

  @Test
  void serviceScopeListsOnlyAcceptKnownServices() throws IOException {
    var services =
        schema(CloudAccount.class).at("/properties/spec/properties/scan/properties/services");
    var known =
        List.of(
            "accessanalyzer",
            "cloudtrail",
            "cloudwatch",
            "config",
            "ec2",
            "ecr",
            "efs",
            "eks",
            "elb",
            "guardduty",
            "iam",
            "kms",
            "lambda",
            "rds",
            "s3",
            "secretsmanager",
            "securityhub",
            "sns",
            "sqs");
    for (var list : List.of("include", "exclude")) {
      var field = services.at("/properties/" + list);
      assertThat(field.path("type").asText()).as(list).isEqualTo("array");
      // An enum on the items: the API server rejects e.g. "ec3" naming
      // spec.scan.services.include[0] and listing the supported values.
      assertThat(field.at("/items/type").asText()).as(list).isEqualTo("string");
      assertThat(texts(field.at("/items/enum"))).as(list).containsExactlyElementsOf(known);
    }
    assertThat(
            java.util.Arrays.stream(CloudAccountSpec.AwsService.values())
                .map(CloudAccountSpec.AwsService::wireValue)
                .toList())
        .containsExactlyElementsOf(known);
  }

  @Test
  void patternsAcceptAndRejectWhatTheyShould() throws IOException {
    var account = schema(CloudAccount.class).at("/properties/spec/properties");
    var accountId = Pattern.compile(account.at("/accountId/pattern").asText());
    assertThat(accountId.matcher("123456789012").find()).isTrue();
    assertThat(accountId.matcher("12345678901").find()).isFalse();
    assertThat(accountId.matcher("1234567890123").find()).isFalse();
    assertThat(accountId.matcher("12345678901a").find()).isFalse();

    var roleArn =
        Pattern.compile(
            account.at("/credentials/properties/assumeRole/properties/roleArn/pattern").asText());
    assertThat(roleArn.matcher("arn:aws:iam::123456789012:role/parapet-scan").find()).isTrue();
    assertThat(roleArn.matcher("arn:aws-cn:iam::123456789012:role/path/scan").find()).isTrue();
    assertThat(roleArn.matcher("arn:aws:iam::123456789012:user/alice").find()).isFalse();

    var interval = Pattern.compile(account.at("/scan/properties/interval/pattern").asText());
    assertThat(interval.matcher("6h").find()).isTrue();
    assertThat(interval.matcher("1h30m").find()).isTrue();
    assertThat(interval.matcher("6 hours").find()).isFalse();
    assertThat(account.at("/scan/properties/interval/default").asText()).isEqualTo("6h");

    var duration = account.at("/credentials/properties/assumeRole/properties/durationSeconds");
    assertThat(duration.path("minimum").asInt()).isEqualTo(900);
    assertThat(duration.path("maximum").asInt()).isEqualTo(43200);

    var port =
        schema(PosturePolicy.class)
            .at("/properties/spec/properties/admission/properties/forbiddenPorts/items");
    assertThat(port.at("/properties/port/minimum").asInt()).isEqualTo(1);
    assertThat(port.at("/properties/port/maximum").asInt()).isEqualTo(65535);
    assertThat(port.at("/x-kubernetes-validations/0/rule").asText()).contains("endPort");
    var protocol = Pattern.compile(port.at("/properties/protocol/pattern").asText());
    assertThat(protocol.matcher("TCP").find()).isTrue();
    assertThat(protocol.matcher("ICMP").find()).isFalse();

    var reason =
        Pattern.compile(
            schema(PosturePolicy.class)
                .at("/properties/spec/properties/exceptions/items/properties/reason/pattern")
                .asText());
    assertThat(reason.matcher("   ").find()).as("a blank reason is rejected").isFalse();
    assertThat(reason.matcher("accepted by SEC-123").find()).isTrue();
  }

  @Test
  void credentialsAreMutuallyExclusive() throws IOException {
    var credentials = schema(CloudAccount.class).at("/properties/spec/properties/credentials");
    assertThat(credentials.at("/x-kubernetes-validations/0/rule").asText())
        .isEqualTo("!(has(self.assumeRole) && has(self.secretRef))");
  }
}
