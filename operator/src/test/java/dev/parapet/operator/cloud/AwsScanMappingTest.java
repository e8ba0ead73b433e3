package dev.parapet.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.rules.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped examples map onto the engine's request and policy. */
class AwsScanMappingTest {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static <T> T example(String file, String kind, Class<T> type) throws IOException {
    var root = System.getProperty("parapet.repo.root", "..");
    var text = Files.readString(Path.of(root, "examples", file));
    var doc =
        Arrays.stream(text.split("(?m)^---\\s*$"))
            .filter(d -> d.contains("kind: " + kind))
            .findFirst()
            .orElseThrow();
    return YAML.readValue(doc, type);
  }

  @Test
  void examplePolicyMapsFrameworksOverridesParametersAndExceptions() throws IOException {
    var policy = example("posturepolicy.yaml", "PosturePolicy", PosturePolicy.class);
    var mapped = AwsScanMapping.policy("baseline", policy.getSpec());
    assertThat(mapped.frameworks()).containsExactlyInAnyOrder(CloudPolicy.CIS, CloudPolicy.FSBP);
    assertThat(mapped.severityOverrides())
        .containsEntry("aws-s3-bucket-versioning-disabled", Severity.low);
    assertThat(mapped.parameters().maxAccessKeyAgeDays()).isEqualTo(90);
    assertThat(mapped.parameters().sensitivePorts()).contains(3306, 27017);
    assertThat(mapped.exemptions())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.name()).isEqualTo("baseline/bastion-ssh");
              assertThat(x.rules()).containsExactly("aws-ec2-sg-ssh-open");
              assertThat(x.expiresAt()).isEqualTo(Instant.parse("2027-06-30T00:00:00Z"));
              assertThat(x.reason()).contains("SEC-142");
            });
  }

  @Test
  void exampleAccountMapsAssumeRoleWithExternalIdFromTheSecret() throws IOException {
    var account = example("cloudaccount.yaml", "CloudAccount", CloudAccount.class);
    var secrets = Map.of("production-external-id/externalId", "external-id-example");
    var request =
        AwsScanMapping.request(
            account.getSpec(),
            (name, key) -> secrets.get(name + "/" + key),
            CloudPolicy.defaults());
    assertThat(request.accountId()).isEqualTo("123456789012");
    assertThat(request.regions()).containsExactly("us-east-1", "eu-west-1", "ap-northeast-1");
    assertThat(request.credentials())
        .isInstanceOfSatisfying(
            CredentialSource.AssumeRole.class,
            r -> {
              assertThat(r.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/parapet-scan");
              assertThat(r.externalId()).isEqualTo("external-id-example");
              assertThat(r.sessionName()).isEqualTo("parapet-production");
              assertThat(r.durationSeconds()).isEqualTo(3600);
            });
    assertThat(request.credentials().toString()).doesNotContain("external-id-example");
  }

  @Test
  void missingSecretValueIsAClearErrorNamingTheSecretAndKey() throws IOException {
    var account = example("cloudaccount.yaml", "CloudAccount", CloudAccount.class);
    assertThatThrownBy(
            () -> AwsScanMapping.request(account.getSpec(), (n, k) -> null, CloudPolicy.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("production-external-id")
        .hasMessageContaining("externalId");
  }
}
