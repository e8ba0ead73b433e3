package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.operator.scan.ScanCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads the Secrets a CloudAccount refers to. Errors name the Secret and key, never a value. */
@ApplicationScoped
public class CredentialResolver {

  /** A Secret or key is missing; the message is safe to show. */
  public static class CredentialsException extends Exception {
    public CredentialsException(String message) {
      super(message);
    }
  }

  private final KubernetesClient client;

  @Inject
  public CredentialResolver(KubernetesClient client) {
    this.client = client;
  }

  public ScanCredentials resolve(CloudAccount account) throws CredentialsException {
    return resolve(account.getMetadata().getNamespace(), account.getSpec().credentials());
  }

  /**
   * The secret values of {@code creds} (a CloudAccount's or an AwsOrganization's) in {@code ns}.
   */
  public ScanCredentials resolve(String ns, CloudAccountSpec.Credentials creds)
      throws CredentialsException {
    if (creds == null) {
      return ScanCredentials.DEFAULT_CHAIN;
    }
    if (creds.secretRef() != null) {
      var ref = creds.secretRef();
      var secret = secret(ns, ref.name());
      var idKey = ref.accessKeyIdKey() == null ? "aws_access_key_id" : ref.accessKeyIdKey();
      var secretKey =
          ref.secretAccessKeyKey() == null ? "aws_secret_access_key" : ref.secretAccessKeyKey();
      return new ScanCredentials(
          value(secret, idKey, true),
          value(secret, secretKey, true),
          ref.sessionTokenKey() == null ? null : value(secret, ref.sessionTokenKey(), true),
          null);
    }
    if (creds.assumeRole() != null) {
      var role = creds.assumeRole();
      String externalId = role.externalId();
      if (role.externalIdSecretRef() != null) {
        var sel = role.externalIdSecretRef();
        externalId = value(secret(ns, sel.name()), sel.key(), true);
      }
      return new ScanCredentials(null, null, null, externalId);
    }
    return ScanCredentials.DEFAULT_CHAIN;
  }

  private Secret secret(String ns, String name) throws CredentialsException {
    Secret s;
    try {
      s = client.secrets().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new CredentialsException(
            "the controller may not read Secret "
                + ns
                + "/"
                + name
                + " (HTTP 403): the chart grants Secret reads in its own namespace and in"
                + " controller.rbac.secretNamespaces; add "
                + ns
                + " there");
      }
      throw new CredentialsException(
          "could not read Secret "
              + ns
              + "/"
              + name
              + ": HTTP "
              + e.getCode()
              + (e.getStatus() == null || e.getStatus().getMessage() == null
                  ? ""
                  : " " + e.getStatus().getMessage()));
    }
    if (s == null) {
      throw new CredentialsException(
          "Secret " + ns + "/" + name + " not found; create it or fix the reference");
    }
    return s;
  }

  private static String value(Secret s, String key, boolean required) throws CredentialsException {
    if (s.getData() != null && s.getData().get(key) != null) {
      return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8)
          .trim();
    }
    if (s.getStringData() != null && s.getStringData().get(key) != null) {
      return s.getStringData().get(key).trim();
    }
    if (required) {
      throw new CredentialsException(
          "Secret "
              + s.getMetadata().getName()
              + " has no key "
              + key
              + "; add it or set the key name in the CloudAccount");
    }
    return null;
  }
}
