package dev.parapet.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The samples under examples/ use only fields the API defines and pass its patterns. */
class ExamplesTest {

  private static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  static List<JsonNode> documents(String file) throws IOException {
    var path = CrdFiles.repoRoot().resolve("examples").resolve(file);
    var docs = new ArrayList<JsonNode>();
    try (YAMLParser parser = new YAMLFactory().createParser(Files.readString(path))) {
      var it = STRICT.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        docs.add(it.next());
      }
    }
    return docs;
  }

  static <T> T only(String file, String kind, Class<T> type) throws IOException {
    var matching =
        documents(file).stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    assertThat(matching).as("%s documents in %s", kind, file).hasSize(1);
    return STRICT.treeToValue(matching.get(0), type);
  }

  @Test
  void cloudAccountExampleUsesAssumeRoleWithExternalIdFromASecret() throws IOException {
    var account = only("cloudaccount.yaml", "CloudAccount", CloudAccount.class);
    var spec = account.getSpec();
    assertThat(spec.accountId()).matches("^[0-9]{12}$");
    var role = spec.credentials().assumeRole();
    assertThat(role.roleArn()).contains(spec.accountId());
    assertThat(role.externalIdSecretRef()).isNotNull();
    assertThat(role.externalId()).as("inline and secret ExternalId are exclusive").isNull();
    var secret =
        documents("cloudaccount.yaml").stream()
            .filter(d -> "Secret".equals(d.path("kind").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(secret.at("/metadata/name").asText()).isEqualTo(role.externalIdSecretRef().name());
    assertThat(secret.at("/stringData").has(role.externalIdSecretRef().key())).isTrue();
    assertThat(spec.scan().interval()).matches("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$");
  }

  @Test
  void awsOrganizationExampleNamesAMemberRoleAndItsExternalIdSecret() throws IOException {
    var org = only("awsorganization.yaml", "AwsOrganization", AwsOrganization.class);
    var spec = org.getSpec();
    assertThat(spec.memberRole().name()).matches("^[\\w+=,.@-]{1,64}$");
    assertThat(spec.memberRole().externalId()).isNull();
    var secret =
        documents("awsorganization.yaml").stream()
            .filter(d -> "Secret".equals(d.path("kind").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(secret.at("/metadata/name").asText())
        .isEqualTo(spec.memberRole().externalIdSecretRef().name());
    assertThat(secret.at("/stringData").has(spec.memberRole().externalIdSecretRef().key()))
        .isTrue();
    assertThat(spec.organizationalUnits().include()).allMatch(ou -> ou.startsWith("ou-"));
    assertThat(spec.template().scan().interval()).matches("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$");
  }

  @Test
  void posturePolicyExampleIsComplete() throws IOException {
    var policy = only("posturepolicy.yaml", "PosturePolicy", PosturePolicy.class);
    var spec = policy.getSpec();
    assertThat(policy.getMetadata().getNamespace()).as("PosturePolicy is cluster-scoped").isNull();
    assertThat(spec.admission().enforcement()).isEqualTo(Enforcement.DENY);
    assertThat(spec.cloud().frameworks()).isNotEmpty();
    for (var port : spec.admission().forbiddenPorts()) {
      assertThat(port.endPort() == null || port.endPort() >= port.port()).isTrue();
    }
    var noBlank = Pattern.compile("\\S");
    for (var exception : spec.exceptions()) {
      assertThat(exception.reason()).matches(r -> noBlank.matcher(r).find(), "non-blank reason");
      assertThat(exception.match()).isNotNull();
    }
  }
}
