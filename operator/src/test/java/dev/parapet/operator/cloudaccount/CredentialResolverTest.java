package dev.parapet.operator.cloudaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.SecretKeySelector;
import dev.parapet.operator.scan.ScanCredentials;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Secrets a CloudAccount refers to, read from the Kubernetes API (CRUD mock server). */
@EnableKubernetesMockClient(crud = true)
class CredentialResolverTest {

  KubernetesClient client;

  private static CloudAccount account(CloudAccountSpec.Credentials credentials) {
    var a = new CloudAccount();
    a.setMetadata(new ObjectMetaBuilder().withName("prod").withNamespace("payments").build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS, "123456789012", List.of(), credentials, null, null));
    return a;
  }

  private void secret(String name, Map<String, String> data) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("payments")
                .endMetadata()
                .withStringData(data)
                .build())
        .create();
  }

  private static CloudAccountSpec.Credentials assumeRole(String externalId, SecretKeySelector ref) {
    return new CloudAccountSpec.Credentials(
        new CloudAccountSpec.AssumeRole(
            "arn:aws:iam::123456789012:role/parapet-scan", externalId, ref, null, null),
        null);
  }

  @Test
  void externalIdComesFromTheReferencedSecretKey() throws Exception {
    secret("scan-external-id", Map.of("externalId", "  external-id-from-secret\n"));
    var creds =
        new CredentialResolver(client)
            .resolve(
                account(assumeRole(null, new SecretKeySelector("scan-external-id", "externalId"))));
    assertThat(creds.externalId()).isEqualTo("external-id-from-secret");
    assertThat(creds.accessKeyId()).isNull();
    assertThat(creds.toString()).doesNotContain("external-id-from-secret");
  }

  @Test
  void inlineExternalIdIsUsedAsIs() throws Exception {
    var creds = new CredentialResolver(client).resolve(account(assumeRole("inline-id", null)));
    assertThat(creds.externalId()).isEqualTo("inline-id");
  }

  @Test
  void aMissingSecretOrKeyIsAnErrorNamingItNeverAValue() {
    var resolver = new CredentialResolver(client);
    assertThatThrownBy(
            () ->
                resolver.resolve(
                    account(assumeRole(null, new SecretKeySelector("absent", "externalId")))))
        .isInstanceOf(CredentialResolver.CredentialsException.class)
        .hasMessageContaining("Secret payments/absent not found");
    secret("wrong-key", Map.of("other", "external-id-from-secret"));
    assertThatThrownBy(
            () ->
                resolver.resolve(
                    account(assumeRole(null, new SecretKeySelector("wrong-key", "externalId")))))
        .isInstanceOf(CredentialResolver.CredentialsException.class)
        .hasMessageContaining("wrong-key")
        .hasMessageContaining("externalId")
        .message()
        .doesNotContain("external-id-from-secret");
  }

  @Test
  void staticKeysComeFromTheSecretRef() throws Exception {
    secret(
        "aws-keys",
        Map.of(
            "aws_access_key_id", "AKIAIOSFODNN7EXAMPLE",
            "aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    var creds =
        new CredentialResolver(client)
            .resolve(
                account(
                    new CloudAccountSpec.Credentials(
                        null, new CloudAccountSpec.SecretRef("aws-keys", null, null, null))));
    assertThat(creds.accessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
    assertThat(creds.secretAccessKey()).isEqualTo("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    assertThat(creds.toString()).doesNotContain("wJalrXUtnFEMI");
  }

  @Test
  void noCredentialsMeansTheDefaultChain() throws Exception {
    assertThat(new CredentialResolver(client).resolve(account(null)))
        .isEqualTo(ScanCredentials.DEFAULT_CHAIN);
  }
}
